package dev.stint.rightsize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The published mapping of CloudTrail calls to IAM actions: the default rule, the sources whose
 * prefix differs, and each kind of exception the data lists.
 */
class IamActionsTest {
  private final IamActions mapping = IamActions.published();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "s3.amazonaws.com | GetObject | s3:GetObject",
        "s3.amazonaws.com | ListObjects | s3:ListBucket",
        "s3.amazonaws.com | ListObjectsV2 | s3:ListBucket",
        "s3.amazonaws.com | HeadBucket | s3:ListBucket",
        "s3.amazonaws.com | HeadObject | s3:GetObject",
        "s3.amazonaws.com | ListBuckets | s3:ListAllMyBuckets",
        "s3.amazonaws.com | CompleteMultipartUpload | s3:PutObject",
        "s3.amazonaws.com | GetBucketEncryption | s3:GetEncryptionConfiguration",
        "s3.amazonaws.com | DeleteObjects | s3:DeleteObject",
        "monitoring.amazonaws.com | GetMetricData | cloudwatch:GetMetricData",
        "email.amazonaws.com | SendEmail | ses:SendEmail",
        "lambda.amazonaws.com | Invoke | lambda:InvokeFunction",
        "lambda.amazonaws.com | CreateFunction20150331 | lambda:CreateFunction",
        "lambda.amazonaws.com | UpdateFunctionConfiguration20150331v2"
            + " | lambda:UpdateFunctionConfiguration",
        "cloudfront.amazonaws.com | CreateDistribution2020_05_31 | cloudfront:CreateDistribution",
        "dynamodb.amazonaws.com | TransactGetItems | dynamodb:GetItem",
        "iam.amazonaws.com | CreateAccessKey | iam:CreateAccessKey"
      })
  void aCallIsTheIamActionTheReferenceNamesForIt(String source, String name, String action) {
    assertThat(mapping.actions(source, name)).containsExactly(action);
  }

  @Test
  void aCallMayNeedSeveralActionsOrNone() {
    assertThat(mapping.actions("dynamodb.amazonaws.com", "TransactWriteItems"))
        .containsExactly("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
    assertThat(mapping.actions("sts.amazonaws.com", "GetCallerIdentity")).isEmpty();
    assertThat(mapping.known("sts.amazonaws.com", "GetCallerIdentity")).isTrue();
  }

  @Test
  void aCallThatIsNotAwssOrNotOfAnApisShapeIsNotRead() {
    assertThat(mapping.actions("Microsoft.Compute", "write")).isEmpty();
    assertThat(mapping.known("Microsoft.Compute", "write")).isFalse();
    assertThat(mapping.actions("s3.amazonaws.com", "Get*")).isEmpty();
    assertThat(mapping.known("s3.amazonaws.com", "Get*")).isFalse();
  }

  @Test
  void aLineOfNeitherKindIsRefused() {
    assertThatThrownBy(
            () -> IamActions.read(new BufferedReader(new StringReader("action\ts3\tGetObject\n"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line 1");
  }
}
