output "tenant_id" {
  description = "The Entra tenant the apps live in."
  value       = data.azuread_client_config.current.tenant_id
}

output "client_ids" {
  description = "Application (client) ids by identity key."
  value       = { for key, app in azuread_application.stint : key => app.client_id }
}

output "service_principal_object_ids" {
  description = "Service principal object ids by identity key."
  value       = { for key, sp in azuread_service_principal.stint : key => sp.object_id }
}

output "stint_profiles" {
  description = "The azure part of each profile, ready to paste into policies/*.yaml (add requesters, approval, max_duration)."
  value = yamlencode({
    profiles = { for key, id in var.identities : id.profile => {
      azure = {
        tenant_id = data.azuread_client_config.current.tenant_id
        client_id = azuread_application.stint[key].client_id
        scope     = "https://management.azure.com/.default"
      }
    } }
  })
}

output "stint_activity_config" {
  description = "With activity_reader set: the azure.activity keys for stint's configuration (stint.yaml); null otherwise."
  value = var.activity_reader == null ? null : yamlencode({
    azure = {
      activity = {
        tenant_id     = data.azuread_client_config.current.tenant_id
        client_id     = azuread_application.activity_reader[0].client_id
        subscriptions = var.activity_reader.subscription_ids
      }
    }
  })
}
