variable "project_id" {
  description = "The project holding the workload identity pool and the service accounts."
  type        = string
}

variable "stint_issuer_url" {
  description = "stint's public_url: the https issuer Google fetches the discovery document and JWKS from (no trailing slash)."
  type        = string

  validation {
    condition     = can(regex("^https://[^/]+(/.*[^/])?$", var.stint_issuer_url))
    error_message = "stint_issuer_url must be an https URL without a trailing slash."
  }
}

variable "pool_id" {
  description = "Workload identity pool id (4-32 characters: lowercase letters, digits, hyphens)."
  type        = string
  default     = "stint"
}

variable "provider_id" {
  description = "Workload identity pool provider id."
  type        = string
  default     = "stint"
}

variable "stint_service_account_id" {
  description = "Account id of the service account stint runs as (impersonation mode)."
  type        = string
  default     = "stint"
}

variable "stint_gke_workload_identity" {
  description = "When stint runs on GKE with Workload Identity: its namespace and Kubernetes service account, bound to stint's service account."
  type = object({
    namespace       = optional(string, "stint")
    service_account = optional(string, "stint")
  })
  default = null
}

variable "service_accounts" {
  description = <<-EOT
    Target service accounts, keyed by account id. profile: the stint profile that may use it.
    modes: "impersonation" (stint's own service account calls generateAccessToken: Token Creator)
    and/or "workload_identity" (stint exchanges a stint-signed JWT with sub = "profile:<profile>":
    Workload Identity User for that subject). project_roles: roles granted on project_id.
  EOT
  type = map(object({
    profile       = string
    modes         = optional(list(string), ["impersonation", "workload_identity"])
    project_roles = optional(list(string), [])
    display_name  = optional(string)
  }))

  validation {
    condition = alltrue([for sa in values(var.service_accounts) : length(sa.modes) > 0 && alltrue([
      for m in sa.modes : contains(["impersonation", "workload_identity"], m)
    ])])
    error_message = "Each service account's modes must be a non-empty list of \"impersonation\" and/or \"workload_identity\"."
  }
}
