package dev.stint.demo;

import dev.stint.standin.JiraStandIn;
import dev.stint.standin.PagerDutyStandIn;
import dev.stint.standin.S3StandIn;
import java.util.Optional;

/**
 * The outside services a demo stack stands in for: STS, CloudTrail, IAM (its roles' policies, and a
 * session's own IAM calls), the demo account's S3, the console sign-in endpoint, Slack, PagerDuty,
 * Jira, and IAM Identity Center (when the demo policy has identity_center profiles).
 */
public record DemoStandIns(
    StsStandIn sts,
    CloudTrailStandIn cloudTrail,
    IamStandIn iam,
    S3StandIn s3,
    SigninStandIn signin,
    SlackStandIn slack,
    PagerDutyStandIn pagerDuty,
    JiraStandIn jira,
    Optional<DemoIdentityCenter> identityCenter) {}
