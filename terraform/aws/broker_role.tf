# The broker role (optional): created in an account other than stint's own, so that stint reaches
# this account's target roles for what IAM and CloudTrail do only in one account at a time. IAM
# names a role by its name alone, so stint's own identity would write a revocation's deny on a
# same-named role of its own account; through this role it writes on this account's. Exactly:
# read and write the inline revocation policy of the target roles, and look up CloudTrail events.

locals {
  broker_name_parts = var.broker_role == null ? [] : split("/", var.broker_role.name)
  broker_path = (
    length(local.broker_name_parts) > 1
    ? "/${join("/", slice(local.broker_name_parts, 0, length(local.broker_name_parts) - 1))}/"
    : "/"
  )
}

data "aws_iam_policy_document" "broker_trust" {
  count = var.broker_role == null ? 0 : 1

  statement {
    sid     = "StintAssumesTheBroker"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [var.broker_role.trusted_arn]
    }
  }
}

resource "aws_iam_role" "broker" {
  count = var.broker_role == null ? 0 : 1

  name               = element(local.broker_name_parts, length(local.broker_name_parts) - 1)
  path               = local.broker_path
  description        = "stint's broker: revocation denies and CloudTrail lookups in this account"
  assume_role_policy = data.aws_iam_policy_document.broker_trust[0].json
  tags               = var.tags
}

data "aws_iam_policy_document" "broker" {
  count = var.broker_role == null ? 0 : 1

  dynamic "statement" {
    for_each = length(var.roles) > 0 ? [1] : []
    content {
      sid       = "MaintainRevocationPolicy"
      effect    = "Allow"
      actions   = ["iam:GetRolePolicy", "iam:PutRolePolicy"]
      resources = [for name, _ in var.roles : aws_iam_role.target[name].arn]
    }
  }

  # Revocation denies the inline policy cannot hold go to stint's own customer managed policies
  # (path /stint/, one set per target role), attached to the target roles. stint creates, versions
  # and deletes only policies under that path, and attaches and detaches only those: the iam:PolicyARN
  # condition keeps it from attaching any other policy to a target role.
  dynamic "statement" {
    for_each = length(var.roles) > 0 ? [1] : []
    content {
      sid    = "MaintainRevocationManagedPolicies"
      effect = "Allow"
      actions = [
        "iam:CreatePolicy",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicy",
        "iam:DeletePolicyVersion",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListPolicyVersions",
      ]
      resources = [local.revocation_policy_arns]
    }
  }

  dynamic "statement" {
    for_each = length(var.roles) > 0 ? [1] : []
    content {
      sid       = "AttachRevocationManagedPolicies"
      effect    = "Allow"
      actions   = ["iam:AttachRolePolicy", "iam:DetachRolePolicy"]
      resources = [for name, _ in var.roles : aws_iam_role.target[name].arn]
      condition {
        test     = "ArnLike"
        variable = "iam:PolicyARN"
        values   = [local.revocation_policy_arns]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.roles) > 0 ? [1] : []
    content {
      sid       = "ListRevocationManagedPolicies"
      effect    = "Allow"
      actions   = ["iam:ListAttachedRolePolicies"]
      resources = [for name, _ in var.roles : aws_iam_role.target[name].arn]
    }
  }

  statement {
    sid       = "LookUpActivity"
    effect    = "Allow"
    actions   = ["cloudtrail:LookupEvents"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "broker" {
  count = var.broker_role == null ? 0 : 1

  name   = "stint-broker"
  role   = aws_iam_role.broker[0].name
  policy = data.aws_iam_policy_document.broker[0].json
}
