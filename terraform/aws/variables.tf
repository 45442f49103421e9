variable "stint_issuer_url" {
  description = "stint's public_url: the https URL AWS fetches /.well-known/openid-configuration and the JWKS from. Must equal the iss of stint's tokens exactly (no trailing slash)."
  type        = string

  validation {
    condition     = can(regex("^https://[^/]+(/.*[^/])?$", var.stint_issuer_url))
    error_message = "stint_issuer_url must be an https URL without a trailing slash (AWS only trusts https issuers)."
  }
}

variable "audience" {
  description = "The aud stint puts in its web-identity tokens, registered as the OIDC provider's client id."
  type        = string
  default     = "sts.amazonaws.com"
}

variable "create_oidc_provider" {
  description = "Create the IAM OIDC provider for stint's issuer. Set false when it already exists in the account and pass oidc_provider_arn."
  type        = bool
  default     = true
}

variable "oidc_provider_arn" {
  description = "ARN of an existing IAM OIDC provider for stint's issuer (only with create_oidc_provider = false)."
  type        = string
  default     = null
}

variable "oidc_thumbprints" {
  description = "Server certificate thumbprints for the OIDC provider. Empty: AWS verifies the issuer's certificate against its trusted CAs, which is right for publicly trusted certificates."
  type        = list(string)
  default     = []
}

variable "stint_role_name" {
  description = "Name of stint's own IAM role (assume_role mode and revocations)."
  type        = string
  default     = "stint"
}

variable "stint_role_trusted_arns" {
  description = "AWS principals that run stint and may assume its role (an EC2 instance role, an ECS task role, another account's role...)."
  type        = list(string)
  default     = []
}

variable "stint_role_eks_irsa" {
  description = "When stint runs on EKS with IAM roles for service accounts: the cluster's OIDC provider ARN and issuer host, and stint's namespace/service account."
  type = object({
    oidc_provider_arn = string
    oidc_issuer_host  = string
    namespace         = optional(string, "stint")
    service_account   = optional(string, "stint")
  })
  default = null
}

variable "roles" {
  description = <<-EOT
    Target roles, keyed by IAM role name. profile: the stint profile allowed to use the role (web
    identity tokens carry sub = "profile:<profile>"). modes: which of assume_role and web_identity
    the trust policy allows. managed_policy_arns / inline_policy_json: what the role may do.
    permissions_boundary_arn: strongly recommended for narrow roles, see README (revocations).
  EOT
  type = map(object({
    profile                  = string
    modes                    = optional(list(string), ["assume_role", "web_identity"])
    managed_policy_arns      = optional(list(string), [])
    inline_policy_json       = optional(string)
    max_session_duration     = optional(number, 3600)
    permissions_boundary_arn = optional(string)
    description              = optional(string)
  }))

  validation {
    condition = alltrue([for r in values(var.roles) : length(r.modes) > 0 && alltrue([
      for m in r.modes : contains(["assume_role", "web_identity"], m)
    ])])
    error_message = "Each role's modes must be a non-empty list of \"assume_role\" and/or \"web_identity\"."
  }

  validation {
    condition     = alltrue([for r in values(var.roles) : r.max_session_duration >= 3600 && r.max_session_duration <= 43200])
    error_message = "max_session_duration is 3600 to 43200 seconds (an IAM limit); stint caps each session at the grant's end anyway."
  }
}

variable "revocation_policy_name" {
  description = "The inline policy stint writes on target roles to revoke live sessions. stint's default; change only together with stint's configuration."
  type        = string
  default     = "stint-revocations"
}

variable "tags" {
  description = "Tags for every resource created."
  type        = map(string)
  default     = {}
}

variable "activity_ingest" {
  description = <<-EOT
    Push this region's CloudTrail management events to stint's POST /v1/ingest/cloudtrail through
    an EventBridge rule and API destination (docs/activity.md). Off (null) by default; needs
    activity_ingest_token. endpoint: stint's base URL as EventBridge reaches it (default
    stint_issuer_url). rate_limit_per_second: the API destination's invocation rate.
    dead_letter_queue_arn: an SQS queue for events EventBridge gave up delivering.
  EOT
  type = object({
    name                  = optional(string, "stint-cloudtrail-ingest")
    endpoint              = optional(string)
    rate_limit_per_second = optional(number, 50)
    dead_letter_queue_arn = optional(string)
  })
  default = null

  validation {
    condition     = var.activity_ingest == null || try(var.activity_ingest.endpoint == null || can(regex("^https://[^/]+(/.*[^/])?$", var.activity_ingest.endpoint)), false)
    error_message = "activity_ingest.endpoint must be an https URL without a trailing slash (API destinations call https only)."
  }

  validation {
    condition     = var.activity_ingest == null || try(var.activity_ingest.rate_limit_per_second >= 1 && var.activity_ingest.rate_limit_per_second <= 300, false)
    error_message = "activity_ingest.rate_limit_per_second is 1 to 300 (an EventBridge limit)."
  }
}

variable "activity_ingest_token" {
  description = "stint's activity.ingest_token, sent by EventBridge as Authorization: Bearer with every event. EventBridge keeps it in Secrets Manager; it is also in this module's state."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition     = var.activity_ingest_token == null || try(length(var.activity_ingest_token) >= 32 && !can(regex("\\s", var.activity_ingest_token)), false)
    error_message = "activity_ingest_token must be at least 32 characters without spaces, as stint requires."
  }
}

variable "activity_data_events" {
  description = <<-EOT
    A multi-region CloudTrail trail logging the data events (S3 object reads and writes by
    default) of the sessions on this module's roles, so that activity_ingest's rule pushes them to
    stint: CloudTrail's event history, which stint looks up, never holds them (docs/activity.md).
    Off (null) by default; needs activity_ingest. Set it in one region's module only.
    resource_types: the data event types to log (AWS::S3::Object, AWS::DynamoDB::Table,
    AWS::Lambda::Function, ...; each is charged per event). session_arn_prefixes: the callers
    whose data events are logged (default: "arn:<partition>:sts::<account>:assumed-role/<role>/"
    for each of roles). log_bucket_name: an existing bucket for the trail's files, whose policy
    lets CloudTrail write them (default: one is created). log_retention_days: how long a created
    bucket keeps them.
  EOT
  type = object({
    trail_name           = optional(string, "stint-data-events")
    resource_types       = optional(list(string), ["AWS::S3::Object"])
    session_arn_prefixes = optional(list(string))
    log_bucket_name      = optional(string)
    log_retention_days   = optional(number, 30)
  })
  default = null

  validation {
    condition     = var.activity_data_events == null || try(length(var.activity_data_events.resource_types) > 0 && alltrue([for t in var.activity_data_events.resource_types : can(regex("^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$", t))]), false)
    error_message = "activity_data_events.resource_types is a non-empty list of CloudTrail resource types, such as AWS::S3::Object."
  }

  validation {
    condition     = var.activity_data_events == null || try(var.activity_data_events.log_retention_days >= 1, false)
    error_message = "activity_data_events.log_retention_days is at least 1."
  }
}

variable "broker_role" {
  description = <<-EOT
    Off (null) by default. Set in an account other than the one stint runs in: creates the role stint
    assumes there (stint's aws.broker_role) to write revocation denies on this account's target roles
    and look up their sessions' CloudTrail activity. trusted_arn is stint's own identity (the
    stint_role_arn output of stint's account). name may carry a path (stint/broker) and must be the
    same in every account.
  EOT
  type = object({
    trusted_arn = string
    name        = optional(string, "stint-broker")
  })
  default = null
}

variable "assume_broker_role_arns" {
  description = "Broker roles in other accounts (arn:aws:iam::ACCOUNT:role/<aws.broker_role>) that stint's own role may assume."
  type        = list(string)
  default     = []
}

variable "identity_center" {
  description = <<-EOT
    Off (null) by default. Set in the IAM Identity Center management or delegated administrator
    account, where stint's own role is, for mode: identity_center profiles: stint's role may then
    create, watch and delete the instance's account assignments, describe its permission sets and
    find users in its identity store (docs/clouds.md). instance_arn and identity_store_id: the
    instance's (as in the profiles). identity_store_account_id: the account that owns the identity
    store (default: this one). permission_set_arns / account_ids (required, not empty): the only
    permission sets stint may assign, and the only accounts it may assign them in; there is no
    "every". allow_management_account: account_ids may name this account, when it is the
    management account (default false). provision_permission_sets: also allow the IAM rights
    CreateAccountAssignment needs to provision a permission set to an account it is not yet in
    (default false: provision them ahead of time).
  EOT
  type = object({
    instance_arn              = string
    identity_store_id         = string
    identity_store_account_id = optional(string)
    permission_set_arns       = list(string)
    account_ids               = list(string)
    allow_management_account  = optional(bool, false)
    provision_permission_sets = optional(bool, false)
  })
  default = null

  validation {
    condition     = var.identity_center == null || try(can(regex("^arn:aws[a-z-]*:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$", var.identity_center.instance_arn)), false)
    error_message = "identity_center.instance_arn must be an instance ARN, such as arn:aws:sso:::instance/ssoins-0123456789abcdef."
  }

  validation {
    condition     = var.identity_center == null || try(can(regex("^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", var.identity_center.identity_store_id)), false)
    error_message = "identity_center.identity_store_id must be an identity store id, such as d-0123456789."
  }

  validation {
    condition     = var.identity_center == null || try(length(var.identity_center.account_ids) > 0 && length(var.identity_center.permission_set_arns) > 0, false)
    error_message = "identity_center.account_ids and identity_center.permission_set_arns must each name at least one: stint may assign only the permission sets, in the accounts, they name."
  }

  validation {
    condition     = var.identity_center == null || try(alltrue([for id in var.identity_center.account_ids : can(regex("^[0-9]{12}$", id))]), false)
    error_message = "identity_center.account_ids are 12-digit AWS account ids."
  }

  validation {
    condition     = var.identity_center == null || try(alltrue([for arn in var.identity_center.permission_set_arns : startswith(arn, replace(var.identity_center.instance_arn, ":instance/", ":permissionSet/"))]), false)
    error_message = "identity_center.permission_set_arns must be permission sets of identity_center.instance_arn."
  }
}

variable "identity_center_roles" {
  description = "Set true in each account (stint's own, or one reached through broker_role) where IAM Identity Center assigns the permission sets of stint's identity_center profiles: creates the customer managed policy /stint/stint-portal-revocations, which each such permission set must reference (AWS refuses writes to the provisioned AWSReservedSSO_* roles themselves), and lets stint's role, and the broker role when set, find the provisioned roles and write a revoke's deny into that policy, which ends the sessions taken from the access portal before the revoke (docs/clouds.md)."
  type        = bool
  default     = false
}
