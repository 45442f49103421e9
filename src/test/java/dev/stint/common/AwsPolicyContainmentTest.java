package dev.stint.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AwsPolicyContainmentTest {
  static final String GRANT =
      "[{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:ListBucket\"],"
          + "\"Resource\":[\"arn:aws:s3:::team-logs\",\"arn:aws:s3:::team-logs/*\"],"
          + "\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":\"eu-west-1\"}}}]";
  static final String REGION =
      "\"Condition\":{\"StringEquals\":{\"aws:requestedregion\":\"eu-west-1\"}}";

  @ParameterizedTest
  @CsvSource({
    "*, anything, true",
    "s3:Get*, s3:GetObject, true",
    "s3:Get*, s3:Get*, true",
    "s3:Get*, s3:GetObj*, true",
    "s3:Get*, s3:*, false",
    "s3:Get*, s3:G?tObject, false",
    "s3:G?t*, s3:G?tObject, true",
    "s3:GetObject, s3:GetObject, true",
    "s3:GetObject, s3:GetObjects, false",
    "s3:GetObject, s3:GetObjec?, false",
    "a*b, a*b, true",
    "a*b, a*c*b, true",
    "a*b, a*, false",
    "arn:aws:s3:::team-logs/*, arn:aws:s3:::team-logs/2026/*, true",
    "arn:aws:s3:::team-logs/*, arn:aws:s3:::team-logs*, false",
    "arn:aws:s3:::team-logs/*, arn:aws:s3:::team-logsx/a, false",
    "?, *, false",
    "'', '', true",
    "*, '', true",
    "?, '', false"
  })
  void patternCoverage(String wide, String narrow, boolean covered) {
    assertThat(AwsPolicyContainment.covers(wide, narrow)).isEqualTo(covered);
  }

  @Test
  void aStatementInsideOneAllowAndKeepingItsConditionsIsContained() {
    String lease =
        "[{\"Sid\":\"Read\",\"Effect\":\"Allow\",\"Action\":\"S3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::team-logs/2026/*\","
            + REGION.replace("}}", ",\"aws:ViaAWSMCPService\":\"true\"}}")
            + "}]";

    assertThat(AwsPolicyContainment.whyNotContained(lease, GRANT)).isEmpty();
  }

  @Test
  void aWiderActionResourceOrADroppedConditionIsRefusedNamingTheStatement() {
    String action =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::team-logs/*\","
            + REGION
            + "}]";
    String resource =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::*\","
            + REGION
            + "}]";
    String dropped =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::team-logs/*\"}]";
    String changed =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::team-logs/*\","
            + REGION.replace("eu-west-1", "us-east-1")
            + "}]";
    String second =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::team-logs/*\","
            + REGION
            + "},{\"Sid\":\"More\",\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]";

    assertThat(AwsPolicyContainment.whyNotContained(action, GRANT))
        .contains(
            "statement 1 is not inside any Allow statement of the grant's policy (each of its"
                + " actions and resources must be covered by one statement, whose conditions it"
                + " keeps)");
    assertThat(AwsPolicyContainment.whyNotContained(resource, GRANT)).isPresent();
    assertThat(AwsPolicyContainment.whyNotContained(dropped, GRANT)).isPresent();
    assertThat(AwsPolicyContainment.whyNotContained(changed, GRANT)).isPresent();
    assertThat(AwsPolicyContainment.whyNotContained(second, GRANT).orElseThrow())
        .startsWith("statement 2 (More) is not inside");
  }

  @Test
  void aStatementInsideAnAllowWithoutConditionsMayAddItsOwn() {
    String grant = "[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]";
    String plain =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::a/*\"}]";
    String conditioned =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::a/*\","
            + REGION
            + "}]";

    assertThat(AwsPolicyContainment.whyNotContained(plain, grant)).isEmpty();
    assertThat(AwsPolicyContainment.whyNotContained(conditioned, grant)).isEmpty();
  }

  @Test
  void aConditionThatIsNotOperatorKeyValuesIsNotJudged() {
    String badWide =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":\"eu-west-1\"}}]";
    String narrow =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":\"eu-west-1\"}}]";
    String fine = "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]";

    assertThat(AwsPolicyContainment.whyNotContained(fine, badWide)).isPresent();
    assertThat(AwsPolicyContainment.whyNotContained(narrow, GRANT).orElseThrow())
        .isEqualTo(
            "statement 1 cannot be proven narrower: its Condition is not operator -> key -> string"
                + " or strings");
  }

  @Test
  void oneStatementMustFitInOneAllowNotAcrossTwo() {
    String grant =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::a/*\"},"
            + "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]";
    String across =
        "[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],"
            + "\"Resource\":\"arn:aws:s3:::a/*\"}]";

    assertThat(AwsPolicyContainment.whyNotContained(across, grant)).isPresent();
  }

  @Test
  void whatTheProofDoesNotJudgeIsRefused() {
    String deny = "[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]";
    String notAction = "[{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}]";
    String number = "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":5}]";
    String wideNot = "[{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}]";
    String narrow = "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]";

    assertThat(AwsPolicyContainment.whyNotContained(deny, GRANT).orElseThrow())
        .isEqualTo("statement 1 cannot be proven narrower: only Allow statements are proven");
    assertThat(AwsPolicyContainment.whyNotContained(notAction, GRANT).orElseThrow())
        .isEqualTo("statement 1 cannot be proven narrower: it has NotAction");
    assertThat(AwsPolicyContainment.whyNotContained(number, GRANT)).isPresent();
    assertThat(AwsPolicyContainment.whyNotContained(narrow, wideNot)).isPresent();
    assertThatThrownBy(() -> AwsPolicyContainment.whyNotContained("{}", GRANT))
        .hasMessage("the narrower policy is not a JSON array of statements");
  }
}
