# Cloud-side trust for stint on Azure: per profile, an app registration whose federated identity
# credential accepts stint-signed client assertions for exactly that profile, its service
# principal, and the RBAC roles it holds. stint holds no client secret or certificate.

data "azuread_client_config" "current" {}

locals {
  role_assignments = merge([
    for key, id in var.identities : {
      for ra in id.role_assignments : "${key}|${ra.scope}|${ra.role}" => merge(ra, { identity = key })
    }
  ]...)
}

resource "azuread_application" "stint" {
  for_each = var.identities

  display_name = "${var.name_prefix}${each.key}"
  owners       = [data.azuread_client_config.current.object_id]
  notes        = "Used by stint for profile ${each.value.profile}; credentials come only from stint's federated identity credential."
}

resource "azuread_service_principal" "stint" {
  for_each = var.identities

  client_id = azuread_application.stint[each.key].client_id
  owners    = [data.azuread_client_config.current.object_id]
}

resource "azuread_application_federated_identity_credential" "stint" {
  for_each = var.identities

  application_id = azuread_application.stint[each.key].id
  display_name   = "stint-${each.value.profile}"
  description    = "Client assertions signed by stint for profile ${each.value.profile}"
  issuer         = var.stint_issuer_url
  subject        = "profile:${each.value.profile}"
  audiences      = [var.audience]
}

resource "azurerm_role_assignment" "stint" {
  for_each = local.role_assignments

  scope                = each.value.scope
  role_definition_name = each.value.role
  principal_id         = azuread_service_principal.stint[each.value.identity].object_id
  principal_type       = "ServicePrincipal"
}

# stint's own Activity Log reader, only when activity_reader is set.
resource "azuread_application" "activity_reader" {
  count = var.activity_reader == null ? 0 : 1

  display_name = "${var.name_prefix}activity-reader"
  owners       = [data.azuread_client_config.current.object_id]
  notes        = "Used by stint to read the Activity Log; credentials come only from stint's federated identity credential."
}

resource "azuread_service_principal" "activity_reader" {
  count = var.activity_reader == null ? 0 : 1

  client_id = azuread_application.activity_reader[0].client_id
  owners    = [data.azuread_client_config.current.object_id]
}

resource "azuread_application_federated_identity_credential" "activity_reader" {
  count = var.activity_reader == null ? 0 : 1

  application_id = azuread_application.activity_reader[0].id
  display_name   = "stint-activity"
  description    = "Client assertions signed by stint for reading the Activity Log"
  issuer         = var.stint_issuer_url
  subject        = "stint:activity"
  audiences      = [var.audience]
}

resource "azurerm_role_assignment" "activity_reader" {
  for_each = toset(var.activity_reader == null ? [] : var.activity_reader.subscription_ids)

  scope                = "/subscriptions/${each.value}"
  role_definition_name = "Monitoring Reader"
  principal_id         = azuread_service_principal.activity_reader[0].object_id
  principal_type       = "ServicePrincipal"
}
