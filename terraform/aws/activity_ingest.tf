# Optional (var.activity_ingest): CloudTrail's events pushed to stint, so the activity of each grant
# arrives within seconds and without CloudTrail lookups, and data events (S3 object reads, …),
# which lookups never find, arrive at all when a trail logs them (activity_data_events.tf;
# docs/activity.md). One rule per region: apply the module, or this part of it, in every region
# whose calls stint should see, us-east-1 included for IAM and STS's global endpoint.

locals {
  activity_ingest = var.activity_ingest != null ? [var.activity_ingest] : []
  ingest_endpoint = var.activity_ingest == null ? null : coalesce(var.activity_ingest.endpoint, var.stint_issuer_url)
}

resource "aws_cloudwatch_event_connection" "stint_ingest" {
  count = length(local.activity_ingest)

  name               = local.activity_ingest[0].name
  description        = "stint's CloudTrail ingest: the bearer token stint checks"
  authorization_type = "API_KEY"

  auth_parameters {
    api_key {
      key   = "Authorization"
      value = "Bearer ${var.activity_ingest_token}"
    }
  }

  lifecycle {
    precondition {
      condition     = var.activity_ingest_token != null
      error_message = "activity_ingest needs activity_ingest_token, the same value as stint's activity.ingest_token."
    }
  }
}

resource "aws_cloudwatch_event_api_destination" "stint_ingest" {
  count = length(local.activity_ingest)

  name                             = local.activity_ingest[0].name
  description                      = "stint's POST /v1/ingest/cloudtrail"
  invocation_endpoint              = "${local.ingest_endpoint}/v1/ingest/cloudtrail"
  http_method                      = "POST"
  invocation_rate_limit_per_second = local.activity_ingest[0].rate_limit_per_second
  connection_arn                   = aws_cloudwatch_event_connection.stint_ingest[0].arn
}

data "aws_caller_identity" "stint_ingest" {
  count = length(local.activity_ingest)
}

# This account's API calls as CloudTrail records them (EventBridge gets them only while a trail logs
# them: management events, and the data events a trail such as activity_data_events.tf's selects;
# both have this detail-type, and the rule's state, ENABLED, holds back only read-only management
# events, which stint's lookups find), narrowed to what stint reads: calls
# made in sessions that carry a source identity (every session stint hands out does), and role
# assumptions (to catch a policy's role assumed outside stint). Fewer events keep the destination's
# backlog short, so an AssumeRole is not held back behind noise.
resource "aws_cloudwatch_event_rule" "stint_ingest" {
  count = length(local.activity_ingest)

  name        = local.activity_ingest[0].name
  description = "CloudTrail management and data events to stint (activity per grant, roles assumed outside stint)"
  event_pattern = jsonencode({
    source        = [{ prefix = "aws." }]
    "detail-type" = ["AWS API Call via CloudTrail"]
    account       = [data.aws_caller_identity.stint_ingest[0].account_id]
    "$or" = [
      { detail = { userIdentity = { sessionContext = { sourceIdentity = [{ exists = true }] } } } },
      { detail = { eventName = ["AssumeRole", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"] } },
    ]
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "stint_ingest" {
  count = length(local.activity_ingest)

  rule     = aws_cloudwatch_event_rule.stint_ingest[0].name
  arn      = aws_cloudwatch_event_api_destination.stint_ingest[0].arn
  role_arn = aws_iam_role.stint_ingest[0].arn

  # stint answers 5xx when it could not write, and EventBridge delivers again; a 4xx it never will.
  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }

  dynamic "dead_letter_config" {
    for_each = local.activity_ingest[0].dead_letter_queue_arn == null ? [] : [local.activity_ingest[0].dead_letter_queue_arn]
    content {
      arn = dead_letter_config.value
    }
  }
}

data "aws_iam_policy_document" "stint_ingest_trust" {
  count = length(local.activity_ingest)

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    # Only this rule, in this account, may act as the role (no confused deputy).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.stint_ingest[0].account_id]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.stint_ingest[0].arn]
    }
  }
}

data "aws_iam_policy_document" "stint_ingest_invoke" {
  count = length(local.activity_ingest)

  statement {
    actions   = ["events:InvokeApiDestination"]
    resources = [aws_cloudwatch_event_api_destination.stint_ingest[0].arn]
  }
}

resource "aws_iam_role" "stint_ingest" {
  count = length(local.activity_ingest)

  name               = local.activity_ingest[0].name
  description        = "EventBridge: deliver CloudTrail events to stint's ingest"
  assume_role_policy = data.aws_iam_policy_document.stint_ingest_trust[0].json
  tags               = var.tags
}

resource "aws_iam_role_policy" "stint_ingest" {
  count = length(local.activity_ingest)

  name   = "invoke-stint-ingest"
  role   = aws_iam_role.stint_ingest[0].id
  policy = data.aws_iam_policy_document.stint_ingest_invoke[0].json
}

# The connection keeps the token in a Secrets Manager secret EventBridge makes
# (events!connection/NAME/…). Whoever reads it can push calls to stint, and a pushed call can raise a
# finding whose action ends a grant or a lease (docs/activity.md): no session stint hands out on the
# module's roles may read it, whatever else the role allows. The pattern covers the connection of
# this name in every region the ingest is applied in. A small inline policy of its own, beside
# stint-revocations: it takes a little of the room IAM gives a role's inline policies, and stint
# spills its denies to managed policies when the rest is full (README, "Things to know").
data "aws_iam_policy_document" "stint_ingest_token_deny" {
  count = length(local.activity_ingest)

  statement {
    sid     = "NoStintIngestToken"
    effect  = "Deny"
    actions = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [
      aws_cloudwatch_event_connection.stint_ingest[0].secret_arn,
      "arn:${data.aws_partition.current.partition}:secretsmanager:*:${data.aws_caller_identity.current.account_id}:secret:events!connection/${local.activity_ingest[0].name}/*",
    ]
  }
}

resource "aws_iam_role_policy" "stint_ingest_token_deny" {
  for_each = length(local.activity_ingest) > 0 ? var.roles : {}

  name   = "stint-ingest-token-deny"
  role   = aws_iam_role.target[each.key].name
  policy = data.aws_iam_policy_document.stint_ingest_token_deny[0].json
}
