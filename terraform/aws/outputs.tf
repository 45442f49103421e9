output "oidc_provider_arn" {
  description = "The IAM OIDC provider that trusts stint's issuer."
  value       = local.oidc_provider_arn
}

output "stint_role_arn" {
  description = "stint's own role: run stint with this identity (assume_role mode, revocations)."
  value       = aws_iam_role.stint.arn
}

output "role_arns" {
  description = "Target role ARNs by role name."
  value       = { for name, role in aws_iam_role.target : name => role.arn }
}

output "revocation_policy_name" {
  description = "The inline policy name stint maintains on target roles."
  value       = var.revocation_policy_name
}

output "stint_profiles" {
  description = "The aws part of each profile, ready to paste into policies/*.yaml (add requesters, approval, max_duration)."
  value = yamlencode({
    profiles = { for name, r in var.roles : r.profile => {
      aws = {
        role_arn = aws_iam_role.target[name].arn
        mode     = contains(r.modes, "web_identity") ? "web_identity" : "assume_role"
      }
    } }
  })
}

output "activity_ingest_rule_arn" {
  description = "The EventBridge rule pushing CloudTrail events to stint; null when activity_ingest is off."
  value       = length(aws_cloudwatch_event_rule.stint_ingest) > 0 ? aws_cloudwatch_event_rule.stint_ingest[0].arn : null
}

output "activity_data_events_trail_arn" {
  description = "The trail logging the data events of stint's sessions; null when activity_data_events is off."
  value       = length(aws_cloudtrail.stint_data_events) > 0 ? aws_cloudtrail.stint_data_events[0].arn : null
}

output "broker_role_arn" {
  description = "The broker role stint assumes in this account (aws.broker_role); null when broker_role is off."
  value       = length(aws_iam_role.broker) > 0 ? aws_iam_role.broker[0].arn : null
}
