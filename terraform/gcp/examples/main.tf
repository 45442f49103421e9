# Example root module: stint's trust setup in one GCP project.
#   cd terraform/gcp/examples && terraform init && terraform apply

terraform {
  required_version = ">= 1.5"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 5.0"
    }
  }
}

variable "project_id" {
  type = string
}

variable "stint_issuer_url" {
  description = "stint's public_url, e.g. https://stint.example.com"
  type        = string
}

provider "google" {
  project = var.project_id
}

module "stint" {
  source = "../"

  project_id                  = var.project_id
  stint_issuer_url            = var.stint_issuer_url
  stint_gke_workload_identity = { namespace = "stint", service_account = "stint" }

  service_accounts = {
    prod-viewer = {
      profile       = "gcp-prod-viewer"
      modes         = ["impersonation"]
      project_roles = ["roles/viewer"]
    }
    prod-deployer = {
      profile       = "gcp-prod-deploy"
      modes         = ["workload_identity"]
      project_roles = ["roles/run.developer"]
    }
  }
}

output "stint_service_account_email" {
  value = module.stint.stint_service_account_email
}

output "audience" {
  value = module.stint.audience
}

output "stint_profiles" {
  value = module.stint.stint_profiles
}
