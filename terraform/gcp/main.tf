# Cloud-side trust for stint on GCP: stint's issuer as a workload identity pool provider (only
# tokens for configured profiles pass its attribute condition), target service accounts, and the
# bindings that let stint obtain their access tokens in either mode.

locals {
  profiles = distinct([for sa in values(var.service_accounts) : sa.profile])
  # CEL, evaluated by Google on every token exchange: only stint's profile subjects get through.
  attribute_condition = "assertion.sub in [${join(", ", [for p in local.profiles : "'profile:${p}'"])}]"

  project_role_bindings = merge([
    for id, sa in var.service_accounts : { for role in sa.project_roles : "${id}|${role}" => { sa = id, role = role } }
  ]...)
}

resource "google_iam_workload_identity_pool" "stint" {
  project                   = var.project_id
  workload_identity_pool_id = var.pool_id
  display_name              = "stint"
  description               = "Tokens signed by stint at ${var.stint_issuer_url}"
}

resource "google_iam_workload_identity_pool_provider" "stint" {
  project                            = var.project_id
  workload_identity_pool_id          = google_iam_workload_identity_pool.stint.workload_identity_pool_id
  workload_identity_pool_provider_id = var.provider_id
  display_name                       = "stint issuer"
  attribute_condition                = local.attribute_condition
  # Only the subject: a mapping that reads a claim some token lacks would fail that exchange.
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }

  oidc {
    issuer_uri = var.stint_issuer_url
    # No allowed_audiences: Google then accepts only its default audience, the provider's own
    # resource name (output "audience"), which no other relying party uses.
  }

  lifecycle {
    precondition {
      condition     = length(local.profiles) > 0
      error_message = "No service_accounts given: the pool would have nothing to trust."
    }
  }
}

resource "google_service_account" "target" {
  for_each = var.service_accounts

  project      = var.project_id
  account_id   = each.key
  display_name = coalesce(each.value.display_name, "stint profile ${each.value.profile}")
}

resource "google_project_iam_member" "target" {
  for_each = local.project_role_bindings

  project = var.project_id
  role    = each.value.role
  member  = "serviceAccount:${google_service_account.target[each.value.sa].email}"
}

# workload_identity mode: the federated subject profile:<name> may act as this service account.
# Workload Identity User carries iam.serviceAccounts.getAccessToken, all the exchange needs; Token
# Creator (signBlob, signJwt, delegation) would be more than that.
resource "google_service_account_iam_member" "workload_identity_user" {
  for_each = { for id, sa in var.service_accounts : id => sa if contains(sa.modes, "workload_identity") }

  service_account_id = google_service_account.target[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principal://iam.googleapis.com/${google_iam_workload_identity_pool.stint.name}/subject/profile:${each.value.profile}"
}

# ---- stint's own service account (impersonation mode) ------------------------------------

resource "google_service_account" "stint" {
  project      = var.project_id
  account_id   = var.stint_service_account_id
  display_name = "stint credential broker"
}

resource "google_service_account_iam_member" "stint_token_creator" {
  for_each = { for id, sa in var.service_accounts : id => sa if contains(sa.modes, "impersonation") }

  service_account_id = google_service_account.target[each.key].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_service_account.stint.email}"
}

resource "google_service_account_iam_member" "stint_gke" {
  count = var.stint_gke_workload_identity == null ? 0 : 1

  service_account_id = google_service_account.stint.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[${var.stint_gke_workload_identity.namespace}/${var.stint_gke_workload_identity.service_account}]"
}
