variable "stint_issuer_url" {
  description = "stint's public_url: the issuer Entra ID fetches the discovery document and JWKS from (https, no trailing slash, matched exactly)."
  type        = string

  validation {
    condition     = can(regex("^https://[^/]+(/.*[^/])?$", var.stint_issuer_url))
    error_message = "stint_issuer_url must be an https URL without a trailing slash."
  }
}

variable "audience" {
  description = "The aud of stint's client assertions; Entra's recommended value for workload identity federation."
  type        = string
  default     = "api://AzureADTokenExchange"
}

variable "name_prefix" {
  description = "Prefix for the app registrations' display names."
  type        = string
  default     = "stint-"
}

variable "identities" {
  description = <<-EOT
    One app registration (with its service principal) per key. profile: the stint profile whose
    client assertions (sub = "profile:<profile>") the app's federated credential accepts.
    role_assignments: Azure RBAC roles the service principal gets, by scope (a subscription,
    resource group or resource id).
  EOT
  type = map(object({
    profile = string
    role_assignments = optional(list(object({
      scope = string
      role  = string
    })), [])
  }))

  validation {
    condition     = length(var.identities) > 0
    error_message = "Give at least one identity."
  }
}

variable "activity_reader" {
  description = <<-EOT
    Off by default (null). Set, an app of stint's own that reads the Activity Log of these
    subscriptions, to show what each Entra token for Resource Manager did (docs/activity.md): its
    federated credential accepts stint's assertions with sub = "stint:activity", and it gets
    Monitoring Reader on each subscription. subscription_ids: the ids (GUIDs) stint reads.
  EOT
  type = object({
    subscription_ids = list(string)
  })
  default = null

  validation {
    condition = var.activity_reader == null || (
      length(var.activity_reader.subscription_ids) > 0 &&
      alltrue([for s in var.activity_reader.subscription_ids : can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", s))])
    )
    error_message = "activity_reader.subscription_ids must list at least one subscription id (a GUID)."
  }
}
