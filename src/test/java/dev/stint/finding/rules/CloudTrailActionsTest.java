package dev.stint.finding.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CloudTrail's event source and name as the IAM action the call needed. */
class CloudTrailActionsTest {
  @ParameterizedTest
  @CsvSource({
    "iam.amazonaws.com, CreateAccessKey, iam:CreateAccessKey",
    "sts.amazonaws.com, GetSessionToken, sts:GetSessionToken",
    "lambda.amazonaws.com, CreateFunction20150331, lambda:CreateFunction",
    "lambda.amazonaws.com, UpdateFunctionConfiguration20150331v2, lambda:UpdateFunctionConfiguration",
    "cloudfront.amazonaws.com, CreateDistribution2020_05_31, cloudfront:CreateDistribution",
    "monitoring.amazonaws.com, GetMetricData, cloudwatch:GetMetricData",
    "ses.amazonaws.com, SendEmail, ses:SendEmail",
    "ses.amazonaws.com, SendEmail7, ses:SendEmail7",
    "ses.amazonaws.com, SendEmail1234567, ses:SendEmail1234567",
    "ec2.amazonaws.com, DeleteFlowLogs, ec2:DeleteFlowLogs",
    "Microsoft.Compute, Microsoft.Compute/virtualMachines/write,"
        + " Microsoft.Compute:Microsoft.Compute/virtualMachines/write"
  })
  void anEventIsTheActionItNeeded(String source, String name, String action) {
    assertThat(CloudTrailActions.action(source, name)).isEqualTo(action);
  }
}
