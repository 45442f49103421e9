package dev.stint.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The evaluation of one call against statements: an Allow that covers the action and the resource
 * (a resource pattern only when it covers every name the pattern does) allows; a Deny that may
 * apply, or an Allow that needs a condition, never proves it.
 */
class AwsPolicyAllowsTest {
  private static final String READ =
      "[{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:ListBucket\"],"
          + "\"Resource\":[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/reports/*\"]}]";

  @Test
  void anAllowCoveringTheActionAndEveryNameOfTheResourceAllows() {
    assertThat(AwsPolicyAllows.whyNot(READ, "s3:GetObject", "arn:aws:s3:::b/reports/q1.csv"))
        .isEmpty();
    assertThat(AwsPolicyAllows.whyNot(READ, "S3:getobject", "arn:aws:s3:::b/reports/2026/*"))
        .isEmpty();
    assertThat(AwsPolicyAllows.whyNot(READ, "s3:ListBucket", "arn:aws:s3:::b")).isEmpty();
  }

  @Test
  void anythingOutsideIsNotAllowed() {
    assertThat(AwsPolicyAllows.whyNot(READ, "s3:PutObject", "arn:aws:s3:::b/reports/x"))
        .isPresent();
    assertThat(AwsPolicyAllows.whyNot(READ, "s3:GetObject", "arn:aws:s3:::b/*")).isPresent();
    assertThat(AwsPolicyAllows.whyNot(READ, "s3:GetObject", "*")).isPresent();
  }

  @Test
  void aDenyThatMayApplyOrAConditionNeverProvesAnAllow() {
    String denied =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Action\":\"s3:Delete*\",\"Resource\":\"arn:aws:s3:::b/*\"}]";
    assertThat(AwsPolicyAllows.whyNot(denied, "s3:DeleteObject", "arn:aws:s3:::b/x"))
        .hasValueSatisfying(w -> assertThat(w).contains("Deny"));
    assertThat(AwsPolicyAllows.whyNot(denied, "s3:GetObject", "arn:aws:s3:::b/x")).isEmpty();
    String conditioned =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":\"eu-west-1\"}}}]";
    assertThat(AwsPolicyAllows.whyNot(conditioned, "s3:GetObject", "*")).isPresent();
  }
}
