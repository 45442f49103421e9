# Cloud-side trust for stint on AWS: stint's issuer as an IAM OIDC provider, stint's own role,
# and target roles that trust stint in both modes and always require a SourceIdentity.

locals {
  issuer_host       = trimprefix(var.stint_issuer_url, "https://")
  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.stint[0].arn : var.oidc_provider_arn

  assume_role_targets  = { for name, r in var.roles : name => r if contains(r.modes, "assume_role") }
  web_identity_targets = { for name, r in var.roles : name => r if contains(r.modes, "web_identity") }

  # stint's own managed policies of revocation denies live under this path (docs/clouds.md): its
  # IAM permissions on managed policies are scoped to it.
  revocation_policy_arns = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:policy/stint/*"

  managed_attachments = merge([
    for name, r in var.roles : { for arn in r.managed_policy_arns : "${name}|${arn}" => { role = name, arn = arn } }
  ]...)
}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

resource "aws_iam_openid_connect_provider" "stint" {
  count = var.create_oidc_provider ? 1 : 0

  url             = var.stint_issuer_url
  client_id_list  = [var.audience]
  thumbprint_list = var.oidc_thumbprints
  tags            = var.tags
}

# ---- target roles -------------------------------------------------------------------------

data "aws_iam_policy_document" "target_trust" {
  for_each = var.roles

  # assume_role mode: stint's own role calls sts:AssumeRole with a SourceIdentity and tags.
  dynamic "statement" {
    for_each = contains(each.value.modes, "assume_role") ? [1] : []
    content {
      sid     = "StintAssumeRole"
      effect  = "Allow"
      actions = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]
      principals {
        type        = "AWS"
        identifiers = [aws_iam_role.stint.arn]
      }
      # Every session must name the person: no SourceIdentity, no session.
      condition {
        test     = "Null"
        variable = "sts:SourceIdentity"
        values   = ["false"]
      }
      # Revocation denies by this tag: a session without it could not be revoked.
      condition {
        test     = "Null"
        variable = "aws:RequestTag/stint:grant"
        values   = ["false"]
      }
    }
  }

  # web_identity mode: stint signs a JWT for this profile and calls AssumeRoleWithWebIdentity.
  dynamic "statement" {
    for_each = contains(each.value.modes, "web_identity") ? [1] : []
    content {
      sid     = "StintWebIdentity"
      effect  = "Allow"
      actions = ["sts:AssumeRoleWithWebIdentity", "sts:SetSourceIdentity", "sts:TagSession"]
      principals {
        type        = "Federated"
        identifiers = [local.oidc_provider_arn]
      }
      condition {
        test     = "StringEquals"
        variable = "${local.issuer_host}:aud"
        values   = [var.audience]
      }
      condition {
        test     = "StringEquals"
        variable = "${local.issuer_host}:sub"
        values   = ["profile:${each.value.profile}"]
      }
      condition {
        test     = "Null"
        variable = "sts:SourceIdentity"
        values   = ["false"]
      }
      # Revocation denies by this tag: a session without it could not be revoked.
      condition {
        test     = "Null"
        variable = "aws:RequestTag/stint:grant"
        values   = ["false"]
      }
    }
  }
}

resource "aws_iam_role" "target" {
  for_each = var.roles

  name                 = each.key
  description          = coalesce(each.value.description, "stint profile ${each.value.profile}")
  assume_role_policy   = data.aws_iam_policy_document.target_trust[each.key].json
  max_session_duration = each.value.max_session_duration
  permissions_boundary = each.value.permissions_boundary_arn
  tags                 = merge(var.tags, { "stint:profile" = each.value.profile })

  lifecycle {
    precondition {
      condition     = !contains(each.value.modes, "web_identity") || local.oidc_provider_arn != null
      error_message = "Role ${each.key} allows web_identity: set create_oidc_provider = true or pass oidc_provider_arn."
    }
  }
}

resource "aws_iam_role_policy_attachment" "target" {
  for_each = local.managed_attachments

  role       = aws_iam_role.target[each.value.role].name
  policy_arn = each.value.arn
}

resource "aws_iam_role_policy" "target" {
  for_each = { for name, r in var.roles : name => r if r.inline_policy_json != null }

  name   = "access"
  role   = aws_iam_role.target[each.key].name
  policy = each.value.inline_policy_json
}
