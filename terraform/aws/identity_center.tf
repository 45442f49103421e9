# IAM Identity Center (docs/clouds.md, "AWS IAM Identity Center: the grant is the account
# assignment"). Two sides, each off unless set:
#  - identity_center, in the management or delegated administrator account where stint's own role
#    is: create, watch and delete account assignments of the instance, read its permission sets,
#    and find a person's user in its identity store;
#  - identity_center_roles, in each member account whose assignments a revoke must cut short:
#    create stint's customer managed policy /stint/stint-portal-revocations, which each permission
#    set of stint's profiles must reference, and let stint's own role and the broker role (when
#    broker_role is set) find the permission sets' provisioned roles, read which policies are
#    attached to them, and write the revoke's deny as new versions of that policy. AWS refuses every write to the provisioned roles themselves
#    (UnmodifiableEntity: "this role is only modifiable by AWS"), so nothing here allows one.

locals {
  ic_partition = data.aws_partition.current.partition

  ic_instance_id = var.identity_center == null ? null : element(split("/", var.identity_center.instance_arn), 1)

  # SSO Admin authorizes assignments on the instance, the permission set and the account together.
  # Only the permission sets and accounts named: a stint that may assign any permission set in any
  # account may make anyone an administrator anywhere, the management account included.
  ic_assignment_resources = var.identity_center == null ? [] : concat(
    [var.identity_center.instance_arn],
    var.identity_center.permission_set_arns,
    [for id in var.identity_center.account_ids : "arn:${local.ic_partition}:sso:::account/${id}"],
  )

  ic_identity_store_arn = var.identity_center == null ? null : "arn:${local.ic_partition}:identitystore::${coalesce(var.identity_center.identity_store_account_id, data.aws_caller_identity.current.account_id)}:identitystore/${var.identity_center.identity_store_id}"

  # stint's only policy in a member account: the revoke's deny of portal sessions goes here.
  ic_portal_policy = "arn:${local.ic_partition}:iam::${data.aws_caller_identity.current.account_id}:policy/stint/stint-portal-revocations"
}

data "aws_iam_policy_document" "identity_center" {
  count = var.identity_center == null ? 0 : 1

  statement {
    sid    = "IdentityCenterAssignments"
    effect = "Allow"
    actions = [
      "sso:CreateAccountAssignment",
      "sso:DeleteAccountAssignment",
      "sso:DescribePermissionSet",
      "sso:ListAccountAssignments",
      "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
    ]
    resources = local.ic_assignment_resources
  }

  # The status of a request is authorized on the instance alone.
  statement {
    sid    = "IdentityCenterAssignmentStatus"
    effect = "Allow"
    actions = [
      "sso:DescribeAccountAssignmentCreationStatus",
      "sso:DescribeAccountAssignmentDeletionStatus",
      "sso:ListAccountAssignmentCreationStatus",
    ]
    resources = [var.identity_center.instance_arn]
  }

  statement {
    sid       = "IdentityStoreUsers"
    effect    = "Allow"
    actions   = ["identitystore:DescribeUser", "identitystore:GetUserId"]
    resources = [local.ic_identity_store_arn, "arn:${local.ic_partition}:identitystore:::user/*"]
  }

  # CreateAccountAssignment provisions the permission set's role in an account it is not yet in,
  # and AWS checks these rights of the caller for it; without them, provision each permission set
  # to its accounts ahead of time.
  dynamic "statement" {
    for_each = var.identity_center.provision_permission_sets ? [1] : []
    content {
      sid    = "IdentityCenterProvisioning"
      effect = "Allow"
      actions = [
        "iam:AttachRolePolicy",
        "iam:CreateRole",
        "iam:GetRole",
        "iam:GetSAMLProvider",
        "iam:ListAttachedRolePolicies",
        "iam:ListRolePolicies",
        "iam:PutRolePolicy",
      ]
      resources = [
        "arn:${local.ic_partition}:iam::*:role/aws-reserved/sso.amazonaws.com/*",
        "arn:${local.ic_partition}:iam::*:saml-provider/AWSSSO_*",
      ]
    }
  }
}

resource "aws_iam_role_policy" "identity_center" {
  count = var.identity_center == null ? 0 : 1

  name   = "stint-identity-center"
  role   = aws_iam_role.stint.name
  policy = data.aws_iam_policy_document.identity_center[0].json

  lifecycle {
    # Assignments in the management account reach the organization itself; stint makes them only
    # when the operator says so.
    precondition {
      condition     = var.identity_center.allow_management_account || !contains(var.identity_center.account_ids, data.aws_caller_identity.current.account_id)
      error_message = "identity_center.account_ids names this account, the management account: set identity_center.allow_management_account = true to let stint assign permission sets in it."
    }
  }
}

data "aws_iam_policy_document" "identity_center_roles" {
  count = var.identity_center_roles ? 1 : 0

  # IAM authorizes ListRoles on no narrower resource than "*"; it reads roles' names and paths.
  statement {
    sid       = "FindIdentityCenterRoles"
    effect    = "Allow"
    actions   = ["iam:ListRoles"]
    resources = ["*"]
  }

  # Before an assignment, whether the permission set's role already in the account has the policy
  # attached: one provisioned before the permission set referenced it lacks it until provisioned
  # again, and stint refuses to assign it.
  statement {
    sid       = "ReadIdentityCenterRolePolicies"
    effect    = "Allow"
    actions   = ["iam:ListAttachedRolePolicies"]
    resources = ["arn:${local.ic_partition}:iam::${data.aws_caller_identity.current.account_id}:role/aws-reserved/sso.amazonaws.com/*"]
  }

  # A new default version of the policy holds the deny; the oldest other version is deleted at
  # IAM's five.
  statement {
    sid    = "MaintainPortalRevocationPolicy"
    effect = "Allow"
    actions = [
      "iam:CreatePolicyVersion",
      "iam:DeletePolicyVersion",
      "iam:GetPolicy",
      "iam:GetPolicyVersion",
      "iam:ListPolicyVersions",
    ]
    resources = [local.ic_portal_policy]
  }
}

# Each permission set of stint's identity_center profiles references this policy by name and path
# (CustomerManagedPolicyReferences), so Identity Center attaches it to the role it provisions here;
# stint refuses to assign one that does not. Created with a deny no session meets (none was issued
# before 2000); stint writes its own versions afterwards, which Terraform must leave alone.
resource "aws_iam_policy" "portal_revocations" {
  count = var.identity_center_roles ? 1 : 0

  name        = "stint-portal-revocations"
  path        = "/stint/"
  description = "stint: denies of revoked IAM Identity Center grants' portal sessions"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "StintNoneYet"
      Effect    = "Deny"
      Action    = "*"
      Resource  = "*"
      Condition = { DateLessThan = { "aws:TokenIssueTime" = "2000-01-01T00:00:00Z" } }
    }]
  })

  lifecycle {
    ignore_changes = [policy]
  }
}

resource "aws_iam_role_policy" "identity_center_roles" {
  count = var.identity_center_roles ? 1 : 0

  name   = "stint-identity-center-roles"
  role   = aws_iam_role.stint.name
  policy = data.aws_iam_policy_document.identity_center_roles[0].json
}

resource "aws_iam_role_policy" "broker_identity_center_roles" {
  count = var.identity_center_roles && var.broker_role != null ? 1 : 0

  name   = "stint-broker-identity-center-roles"
  role   = aws_iam_role.broker[0].name
  policy = data.aws_iam_policy_document.identity_center_roles[0].json
}
