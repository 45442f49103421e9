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
