# Example root module: stint's trust setup in one production account.
#   cd terraform/aws/examples && terraform init && terraform apply
# then paste `terraform output -raw stint_profiles` into policies/ and run stint as stint_role_arn.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "stint_issuer_url" {
  description = "stint's public_url, e.g. https://stint.example.com"
  type        = string
}

variable "eks_oidc_provider_arn" {
  description = "The EKS cluster's IAM OIDC provider (stint runs on EKS with IRSA)."
  type        = string
}

variable "eks_oidc_issuer_host" {
  description = "The EKS cluster's OIDC issuer without https://, e.g. oidc.eks.eu-west-1.amazonaws.com/id/ABC123"
  type        = string
}

module "stint" {
  source = "../"

  stint_issuer_url = var.stint_issuer_url
  stint_role_eks_irsa = {
    oidc_provider_arn = var.eks_oidc_provider_arn
    oidc_issuer_host  = var.eks_oidc_issuer_host
  }

  roles = {
    prod-admin = {
      profile             = "aws-prod-admin"
      modes               = ["assume_role"]
      managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
      # Session length is capped by stint; role chaining from stint's own session caps it at 1h.
      max_session_duration = 3600
    }
    prod-deploy = {
      profile = "aws-prod-deploy"
      modes   = ["web_identity"]
      inline_policy_json = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect   = "Allow"
          Action   = ["ecs:UpdateService", "ecs:DescribeServices", "ecr:GetAuthorizationToken"]
          Resource = "*"
        }]
      })
      permissions_boundary_arn = aws_iam_policy.deploy_boundary.arn
    }
  }

  tags = { "managed-by" = "terraform", "app" = "stint" }
}

# Caps what any inline policy on the deploy role can grant (stint's revocation policy only
# denies, so the boundary never gets in its way).
resource "aws_iam_policy" "deploy_boundary" {
  name = "stint-deploy-boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ecs:UpdateService", "ecs:DescribeServices", "ecr:GetAuthorizationToken"]
      Resource = "*"
    }]
  })
}

output "stint_role_arn" {
  value = module.stint.stint_role_arn
}

output "stint_profiles" {
  value = module.stint.stint_profiles
}
