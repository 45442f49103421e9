# Example root module: stint's trust setup in one Entra tenant and subscription.
#   cd terraform/azure/examples && terraform init && terraform apply

terraform {
  required_version = ">= 1.5"
  required_providers {
    azuread = {
      source  = "hashicorp/azuread"
      version = ">= 3.0"
    }
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.0"
    }
  }
}

variable "subscription_id" {
  type = string
}

variable "stint_issuer_url" {
  description = "stint's public_url, e.g. https://stint.example.com"
  type        = string
}

provider "azuread" {}

provider "azurerm" {
  features {}
  subscription_id = var.subscription_id
}

module "stint" {
  source = "../"

  stint_issuer_url = var.stint_issuer_url
  identities = {
    prod-reader = {
      profile = "azure-prod-reader"
      role_assignments = [
        { scope = "/subscriptions/${var.subscription_id}", role = "Reader" },
      ]
    }
    prod-operator = {
      profile = "azure-prod-operator"
      role_assignments = [
        { scope = "/subscriptions/${var.subscription_id}/resourceGroups/prod", role = "Contributor" },
      ]
    }
  }
}

output "stint_profiles" {
  value = module.stint.stint_profiles
}
