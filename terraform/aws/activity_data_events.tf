# Optional (var.activity_data_events): a trail that logs the data events of the sessions on this
# module's roles (S3 object reads and writes by default), which CloudTrail's event history never
# holds: stint sees them only when EventBridge pushes them (activity_ingest's rule matches them:
# their detail-type is "AWS API Call via CloudTrail" too, and they carry the session's source
# identity). Until it has received one from this account, stint does not call a grant here unused
# (docs/activity.md, "What stint can see"). One multi-region trail: set this in one region's
# module only, and activity_ingest in each region whose calls stint should see.

locals {
  data_events        = var.activity_data_events != null ? [var.activity_data_events] : []
  data_events_bucket = length(local.data_events) > 0 && try(var.activity_data_events.log_bucket_name, null) == null ? [1] : []

  # The trail's ARN in any region: the bucket's policy must name it before the trail exists.
  data_events_trail_arn = length(local.data_events) == 0 ? null : "arn:${data.aws_partition.current.partition}:cloudtrail:*:${data.aws_caller_identity.current.account_id}:trail/${var.activity_data_events.trail_name}"

  # The sessions whose data events are logged, as CloudTrail names their callers: those of this
  # module's roles, unless the callers are given.
  data_event_callers = length(local.data_events) == 0 ? [] : (
    var.activity_data_events.session_arn_prefixes != null
    ? var.activity_data_events.session_arn_prefixes
    : [for name in keys(var.roles) : "arn:${data.aws_partition.current.partition}:sts::${data.aws_caller_identity.current.account_id}:assumed-role/${name}/"]
  )
}

resource "aws_s3_bucket" "stint_data_events" {
  count = length(local.data_events_bucket)

  bucket_prefix = "stint-data-events-"
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "stint_data_events" {
  count = length(local.data_events_bucket)

  bucket                  = aws_s3_bucket.stint_data_events[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "stint_data_events" {
  count = length(local.data_events_bucket)

  bucket = aws_s3_bucket.stint_data_events[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# The trail's files are not what stint reads (it gets the events from EventBridge): keep them only
# as long as asked.
resource "aws_s3_bucket_lifecycle_configuration" "stint_data_events" {
  count = length(local.data_events_bucket)

  bucket = aws_s3_bucket.stint_data_events[0].id
  rule {
    id     = "expire-trail-files"
    status = "Enabled"
    filter {}
    expiration {
      days = var.activity_data_events.log_retention_days
    }
  }
}

data "aws_iam_policy_document" "stint_data_events_bucket" {
  count = length(local.data_events_bucket)

  statement {
    sid       = "CloudTrailAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.stint_data_events[0].arn]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.data_events_trail_arn]
    }
  }

  statement {
    sid       = "CloudTrailWrite"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.stint_data_events[0].arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.data_events_trail_arn]
    }
  }

  statement {
    sid     = "TlsOnly"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.stint_data_events[0].arn,
      "${aws_s3_bucket.stint_data_events[0].arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "stint_data_events" {
  count = length(local.data_events_bucket)

  bucket = aws_s3_bucket.stint_data_events[0].id
  policy = data.aws_iam_policy_document.stint_data_events_bucket[0].json

  depends_on = [aws_s3_bucket_public_access_block.stint_data_events]
}

# Advanced event selectors: data events only (no management events, which the account's own trail
# already logs; a second copy of them is charged), of the given resource types, made in the
# sessions of stint's roles.
resource "aws_cloudtrail" "stint_data_events" {
  count = length(local.data_events)

  name                          = var.activity_data_events.trail_name
  s3_bucket_name                = coalesce(var.activity_data_events.log_bucket_name, try(aws_s3_bucket.stint_data_events[0].id, null))
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true

  dynamic "advanced_event_selector" {
    for_each = var.activity_data_events.resource_types
    content {
      name = "stint sessions: ${advanced_event_selector.value}"

      field_selector {
        field  = "eventCategory"
        equals = ["Data"]
      }

      field_selector {
        field  = "resources.type"
        equals = [advanced_event_selector.value]
      }

      field_selector {
        field       = "userIdentity.arn"
        starts_with = local.data_event_callers
      }
    }
  }

  tags       = var.tags
  depends_on = [aws_s3_bucket_policy.stint_data_events]

  lifecycle {
    precondition {
      condition     = var.activity_ingest != null
      error_message = "activity_data_events needs activity_ingest: stint sees data events only when EventBridge pushes them."
    }
    precondition {
      condition     = length(local.data_event_callers) > 0
      error_message = "activity_data_events logs the sessions of this module's roles: declare roles, or give session_arn_prefixes."
    }
  }
}
