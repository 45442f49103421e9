package dev.stint.rightsize;

import static dev.stint.rightsize.SuggestionRig.ACCOUNT;
import static dev.stint.rightsize.SuggestionRig.GRANT_KEY;
import static dev.stint.rightsize.SuggestionRig.LEASE_KEY;
import static dev.stint.rightsize.SuggestionRig.OTHER_KEY;
import static dev.stint.rightsize.SuggestionRig.call;
import static dev.stint.rightsize.SuggestionRig.caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.activity.ActivityIngest;
import dev.stint.common.AwsPolicyAllows;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.standin.CloudTrailEvent;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A profile's suggestion over recorded CloudTrail shapes pushed through the real ingest: exactly
 * the IAM actions its own credentials used (the grant's session and its lease's), the mapping's
 * exceptions applied, the resources the records name; refused calls and another profile's calls on
 * the same role left out; proven within today's policy and covering every call; today's unused
 * patterns listed. Only auditors and admins read it, every other caller refused and recorded; an
 * unknown profile is not found; a profile without calls answers an empty suggestion that says so.
 */
class RightSizingTest {
  private final SuggestionRig rig = new SuggestionRig();

  RightSizingTest() throws Exception {}

  @AfterEach
  void close() throws Exception {
    rig.close();
  }

  private void push(CloudTrailEvent.Builder b) throws Exception {
    assertThat(rig.push(b)).isEqualTo(ActivityIngest.Outcome.KEPT);
  }

  private void recorded() throws Exception {
    CloudTrailEvent.Builder get =
        call("s3.amazonaws.com", "GetObject", GRANT_KEY)
            .data()
            .parameter("bucketName", "acme-data")
            .parameter("key", "reports/2026/q1.csv");
    push(get);
    push(
        call("s3.amazonaws.com", "GetObject", GRANT_KEY)
            .data()
            .parameter("bucketName", "acme-data")
            .parameter("key", "reports/2026/q2.csv"));
    push(
        call("s3.amazonaws.com", "ListObjectsV2", GRANT_KEY)
            .parameter("bucketName", "acme-data")
            .parameter("prefix", "reports/"));
    push(
        call("s3.amazonaws.com", "HeadObject", LEASE_KEY)
            .data()
            .parameter("bucketName", "acme-data")
            .parameter("key", "reports/2026/q3.csv"));
    push(
        call("dynamodb.amazonaws.com", "GetItem", LEASE_KEY)
            .data()
            .parameter("tableName", "orders"));
    push(call("monitoring.amazonaws.com", "GetMetricData", GRANT_KEY));
    push(call("sts.amazonaws.com", "GetCallerIdentity", GRANT_KEY));
    // Refused: an attempt, not a need.
    push(
        call("s3.amazonaws.com", "DeleteObject", GRANT_KEY)
            .data()
            .errorCode("AccessDenied")
            .parameter("bucketName", "acme-data")
            .parameter("key", "reports/2026/q1.csv"));
    push(
        call("ec2.amazonaws.com", "TerminateInstances", GRANT_KEY)
            .errorCode("UnauthorizedOperation"));
    // Another profile's credential on the same role.
    push(
        call("s3.amazonaws.com", "PutObject", OTHER_KEY)
            .data()
            .parameter("bucketName", "acme-data")
            .parameter("key", "reports/x.csv"));
    push(call("iam.amazonaws.com", "ListRoles", OTHER_KEY));
  }

  @Test
  void theSuggestionHasExactlyTheActionsTheProfilesOwnAllowedCallsNeeded() throws Exception {
    recorded();

    Suggestion s = rig.suggest(caller("carol", "security"), "prod");

    assertThat(s.observed())
        .extracting(Suggestion.Observed::action)
        .containsExactly(
            "cloudwatch:GetMetricData", "dynamodb:GetItem", "s3:GetObject", "s3:ListBucket");
    assertThat(s.observed())
        .filteredOn(o -> o.action().equals("s3:GetObject"))
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.count()).isEqualTo(3);
              assertThat(o.resources()).containsExactly("arn:aws:s3:::acme-data/reports/*");
            });
    assertThat(s.observed())
        .filteredOn(o -> o.action().equals("s3:ListBucket"))
        .singleElement()
        .satisfies(o -> assertThat(o.resources()).containsExactly("arn:aws:s3:::acme-data"));
    assertThat(s.observed())
        .filteredOn(o -> o.action().equals("dynamodb:GetItem"))
        .singleElement()
        .satisfies(
            o ->
                assertThat(o.resources())
                    .containsExactly("arn:aws:dynamodb:eu-west-1:" + ACCOUNT + ":table/orders"));
    assertThat(s.observed())
        .filteredOn(o -> o.action().equals("cloudwatch:GetMetricData"))
        .singleElement()
        .satisfies(o -> assertThat(o.resources()).containsExactly("*"));
    // Six allowed calls of its own (GetCallerIdentity among them, which needs no permission).
    assertThat(s.calls()).isEqualTo(7);
    assertThat(s.grants()).isEqualTo(1);
  }

  @Test
  void theSuggestionIsProvenWithinTodaysPolicyAndAllowsEveryObservedCall() throws Exception {
    recorded();

    Suggestion s = rig.suggest(caller("carol", "security"), "prod");

    assertThat(s.contained().proven()).as(s.contained().why().orElse("")).isTrue();
    assertThat(s.coversObserved().proven()).as(s.coversObserved().why().orElse("")).isTrue();
    String statements = s.suggestedStatements().orElseThrow();
    assertThat(AwsPolicyAllows.whyNot(statements, "s3:GetObject", "arn:aws:s3:::acme-data/x"))
        .as("an object outside the prefix it used")
        .isPresent();
    assertThat(AwsPolicyAllows.whyNot(statements, "s3:DeleteObject", "*")).isPresent();
    assertThat(s.unused()).containsExactly("ec2:*");
  }

  @Test
  void anAdminReadsItTooAndAnyoneElseIsRefusedAndRecorded() throws Exception {
    assertThat(rig.suggest(caller("olga", "ops"), "prod").profile()).isEqualTo("prod");

    assertThatThrownBy(() -> rig.suggest(caller("mallory", "eng"), "prod"))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    assertThat(
            rig.audited(
                "type = '"
                    + Suggestions.REFUSED
                    + "' AND actor_subject = 'mallory' AND profile = 'prod'"))
        .isEqualTo(1);
  }

  @Test
  void anUnknownProfileIsNotFoundAndABadWindowIsInvalid() throws Exception {
    assertThatThrownBy(() -> rig.suggest(caller("carol", "security"), "nope"))
        .cause()
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(
            () ->
                dev.stint.testing.AuditTables.await(
                    rig.suggestions.of(
                        caller("carol", "security"),
                        "prod",
                        () -> {
                          throw StintException.invalid("since is bad");
                        })))
        .cause()
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
  }

  @Test
  void aProfileWithoutCallsAnswersAnEmptySuggestionThatSaysSo() throws Exception {
    Suggestion s = rig.suggest(caller("carol", "security"), "prod");

    assertThat(s.empty()).isTrue();
    assertThat(s.calls()).isZero();
    assertThat(s.suggestedStatements()).isEmpty();
    assertThat(s.notes()).anyMatch(n -> n.contains("nothing to suggest"));
    assertThat(s.unused()).containsExactly("s3:*", "dynamodb:*", "cloudwatch:Get*", "ec2:*");
  }
}
