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
