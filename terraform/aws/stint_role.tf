# stint's own role: the identity stint runs as. Least privilege: assume the assume_role targets
# (with SourceIdentity and tags) and maintain the revocation inline policy on every target.

data "aws_iam_policy_document" "stint_trust" {
  dynamic "statement" {
    for_each = length(var.stint_role_trusted_arns) > 0 ? [1] : []
    content {
      sid     = "RunsStint"
      effect  = "Allow"
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = var.stint_role_trusted_arns
      }
    }
  }

  dynamic "statement" {
    for_each = var.stint_role_eks_irsa == null ? [] : [var.stint_role_eks_irsa]
    content {
      sid     = "EksServiceAccount"
      effect  = "Allow"
      actions = ["sts:AssumeRoleWithWebIdentity"]
      principals {
        type        = "Federated"
        identifiers = [statement.value.oidc_provider_arn]
      }
      condition {
        test     = "StringEquals"
        variable = "${statement.value.oidc_issuer_host}:sub"
        values   = ["system:serviceaccount:${statement.value.namespace}:${statement.value.service_account}"]
      }
      condition {
        test     = "StringEquals"
        variable = "${statement.value.oidc_issuer_host}:aud"
        values   = ["sts.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role" "stint" {
  name               = var.stint_role_name
  description        = "stint credential broker"
  assume_role_policy = data.aws_iam_policy_document.stint_trust.json
  tags               = var.tags

  lifecycle {
    precondition {
      condition     = length(var.stint_role_trusted_arns) > 0 || var.stint_role_eks_irsa != null
      error_message = "Nothing could assume stint's role: set stint_role_trusted_arns and/or stint_role_eks_irsa."
    }
  }
}

data "aws_iam_policy_document" "stint" {
  dynamic "statement" {
    for_each = length(local.assume_role_targets) > 0 ? [1] : []
    content {
      sid       = "AssumeTargetRoles"
      effect    = "Allow"
      actions   = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]
      resources = [for name, _ in local.assume_role_targets : aws_iam_role.target[name].arn]
    }
  }

  dynamic "statement" {
    for_each = length(var.assume_broker_role_arns) > 0 ? [1] : []
    content {
      sid       = "AssumeBrokerRoles"
      effect    = "Allow"
      actions   = ["sts:AssumeRole"]
      resources = var.assume_broker_role_arns
    }
  }

  # IAM has no condition key for an inline policy's name, so these actions cannot be limited to
  # the stint-revocations policy by IAM itself: they are limited to the target roles, and the
  # README explains the permissions boundary that caps what any inline policy could grant.
  dynamic "statement" {
    for_each = length(var.roles) > 0 ? [1] : []
    content {
      sid       = "MaintainRevocationPolicy"
      effect    = "Allow"
      actions   = ["iam:GetRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy"]
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

  # What each credential of the roles did, and each portal session of the permission sets' roles
  # provisioned here, for activity per grant (docs/activity.md). CloudTrail grants LookupEvents on
  # no narrower resource than "*"; it reads the event history only.
  dynamic "statement" {
    for_each = length(var.roles) > 0 || var.identity_center_roles ? [1] : []
    content {
      sid       = "LookUpActivity"
      effect    = "Allow"
      actions   = ["cloudtrail:LookupEvents"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "stint" {
  count = length(var.roles) > 0 || length(var.assume_broker_role_arns) > 0 ? 1 : 0

  name   = "stint"
  role   = aws_iam_role.stint.name
  policy = data.aws_iam_policy_document.stint.json
}
