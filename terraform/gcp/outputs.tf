output "workload_identity_provider" {
  description = "Full resource name of the pool provider (projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER)."
  value       = google_iam_workload_identity_pool_provider.stint.name
}

output "audience" {
  description = "The aud stint must put in tokens it exchanges at Google STS (the provider's default audience)."
  value       = "//iam.googleapis.com/${google_iam_workload_identity_pool_provider.stint.name}"
}

output "attribute_condition" {
  description = "The CEL condition every stint token must pass."
  value       = local.attribute_condition
}

output "stint_service_account_email" {
  description = "The service account stint runs as (impersonation mode)."
  value       = google_service_account.stint.email
}

output "service_account_emails" {
  description = "Target service accounts by account id."
  value       = { for id, sa in google_service_account.target : id => sa.email }
}

output "stint_profiles" {
  description = "The gcp part of each profile, ready to paste into policies/*.yaml (add requesters, approval, max_duration)."
  value = yamlencode({
    profiles = { for id, sa in var.service_accounts : sa.profile => {
      gcp = merge(
        {
          service_account = google_service_account.target[id].email
          scopes          = ["cloud-platform"]
        },
        contains(sa.modes, "impersonation") ? {} : {
          mode                       = "workload_identity"
          workload_identity_provider = google_iam_workload_identity_pool_provider.stint.name
        }
      )
    } }
  })
}
