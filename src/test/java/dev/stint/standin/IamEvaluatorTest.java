package dev.stint.standin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.standin.IamEvaluator.Decision;
import dev.stint.standin.IamEvaluator.Request;
import dev.stint.standin.IamEvaluator.Session;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * IAM's decision as the S3 stand-in asks it, for the rules a stand-in is most easily wrong about: a
 * session policy only narrows, an explicit deny anywhere wins, negated operators and {@code
 * …IfExists} on a missing key, {@code NotAction}, actions without resource-level permissions, and
 * what it cannot decide.
 */
class IamEvaluatorTest {
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private static final Session ALICE =
      new Session(Map.of("stint:grant", "grt_1"), Optional.of("0123456789abcdef.grt_1"), NOW);
  private static final Session UNTAGGED = new Session(Map.of(), Optional.empty(), NOW);
  private static final String READ =
      policy("\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"arn:aws:s3:::b/*\"");

  private static String policy(String statement) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{" + statement + "}]}";
  }

  private static Decision decide(
      String action, String resource, Session session, List<String> role, String sessionPolicy) {
    return IamEvaluator.decide(
        new Request(action, resource, session, NOW), role, Optional.ofNullable(sessionPolicy));
  }

  @Test
  void theRoleMustAllowAndASessionPolicyOnlyNarrows() {
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", ALICE, List.of(READ), null))
        .isEqualTo(Decision.ALLOW);
    assertThat(decide("S3:getobject", "arn:aws:s3:::b/k", ALICE, List.of(READ), null))
        .as("actions ignore case")
        .isEqualTo(Decision.ALLOW);
    assertThat(decide("s3:GetObject", "arn:aws:s3:::other/k", ALICE, List.of(READ), null))
        .isEqualTo(Decision.IMPLICIT_DENY);
    String everything = policy("\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"");
    assertThat(decide("s3:PutObject", "arn:aws:s3:::b/k", ALICE, List.of(READ), everything))
        .as("a session policy cannot add to the role's")
        .isEqualTo(Decision.IMPLICIT_DENY);
    String listOnly = policy("\"Effect\":\"Allow\",\"Action\":\"s3:List*\",\"Resource\":\"*\"");
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", ALICE, List.of(READ), listOnly))
        .isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void anExplicitDenyInAnyPolicyWinsOverEveryAllow() {
    String deny =
        policy(
            "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
                + "{\"StringLike\":{\"aws:SourceIdentity\":\"*.grt_1\"}}");
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", ALICE, List.of(READ, deny), null))
        .isEqualTo(Decision.EXPLICIT_DENY);
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", ALICE, List.of(READ), deny))
        .isEqualTo(Decision.EXPLICIT_DENY);
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", UNTAGGED, List.of(READ, deny), null))
        .as("no source identity: StringLike is false")
        .isEqualTo(Decision.ALLOW);
  }

  @Test
  void aNegatedOperatorOrIfExistsHoldsWhenTheKeyIsMissing() {
    String notOurs =
        policy(
            "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
                + "{\"StringNotEquals\":{\"aws:PrincipalTag/STINT:GRANT\":[\"grt_1\",\"grt_2\"]}}");
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", ALICE, List.of(READ, notOurs), null))
        .as("tag keys ignore case; the value is one of the list")
        .isEqualTo(Decision.ALLOW);
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", UNTAGGED, List.of(READ, notOurs), null))
        .isEqualTo(Decision.EXPLICIT_DENY);
    String ifExists =
        policy(
            "\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":"
                + "{\"StringEqualsIfExists\":{\"aws:SourceIdentity\":\"nobody\"}}");
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", UNTAGGED, List.of(ifExists), null))
        .isEqualTo(Decision.ALLOW);
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", ALICE, List.of(ifExists), null))
        .isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void notActionAndActionsWithoutResourceLevelPermissions() {
    String allButDelete =
        policy("\"Effect\":\"Allow\",\"NotAction\":\"s3:Delete*\",\"Resource\":\"arn:aws:s3:::*\"");
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", ALICE, List.of(allButDelete), null))
        .isEqualTo(Decision.ALLOW);
    assertThat(decide("s3:DeleteObject", "arn:aws:s3:::b/k", ALICE, List.of(allButDelete), null))
        .isEqualTo(Decision.IMPLICIT_DENY);
    assertThat(decide("s3:ListAllMyBuckets", "*", ALICE, List.of(allButDelete), null))
        .as("only Resource \"*\" grants an action without resource-level permissions")
        .isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void whatItCannotDecideCountsForADenyAndNeverForAnAllow() {
    String unknownDeny =
        policy(
            "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
                + "{\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":\"3600\"}}");
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", ALICE, List.of(READ, unknownDeny), null))
        .isEqualTo(Decision.EXPLICIT_DENY);
    String unknownAllow =
        policy(
            "\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
                + "{\"StringEquals\":{\"aws:RequestedRegion\":\"us-east-1\"}}");
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", ALICE, List.of(unknownAllow), null))
        .isEqualTo(Decision.IMPLICIT_DENY);
  }

  @Test
  void aMalformedOrUnfilledConditionIsNeverGuessedAt() {
    List<String> conditions =
        List.of(
            // A known key under an unknown operator with no values.
            "{\"ArnLike\":{\"aws:SourceIdentity\":[]}}",
            // An operator whose value is not keys and values.
            "{\"StringLike\":\"*\"}",
            // A policy variable, which the evaluator does not fill in.
            "{\"StringLike\":{\"aws:SourceIdentity\":\"${aws:username}\"}}");
    for (String condition : conditions) {
      String deny =
          policy(
              "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":" + condition);
      String allow =
          policy(
              "\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
                  + condition);
      assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", ALICE, List.of(READ, deny), null))
          .as("a Deny on %s applies", condition)
          .isEqualTo(Decision.EXPLICIT_DENY);
      assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", ALICE, List.of(allow), null))
          .as("an Allow on %s does not", condition)
          .isEqualTo(Decision.IMPLICIT_DENY);
    }
  }

  @Test
  void datesCompareAsInstantsAndTheIssueTimeIsTheSessions() {
    String cutoff =
        policy(
            "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
                + "{\"DateLessThan\":{\"aws:TokenIssueTime\":\"2026-11-27T10:00:01Z\"}}");
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", ALICE, List.of(READ, cutoff), null))
        .isEqualTo(Decision.EXPLICIT_DENY);
    Session later = new Session(Map.of(), Optional.empty(), NOW.plusSeconds(1));
    assertThat(decide("s3:GetObject", "arn:aws:s3:::b/k", later, List.of(READ, cutoff), null))
        .isEqualTo(Decision.ALLOW);
  }

  /** IAM's wildcards, and characters a regular expression would read as its own. */
  @ParameterizedTest(name = "{0} against {1}: {2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "* ; '' ; true",
        "'' ; '' ; true",
        "'' ; a ; false",
        "? ; '' ; false",
        "? ; a ; true",
        "a?c ; abc ; true",
        "a?c ; ac ; false",
        "*.grt_1 ; https://x/t.p.grt_1 ; true",
        "*.grt_1 ; https://x/t.p.grt_12 ; false",
        "*.grt_1 ; https://x/t.pXgrt_1 ; false",
        "s3:Get* ; s3:GetObject ; true",
        "s3:Get* ; s3:PutObject ; false",
        "a*b*c ; aXXbYYbZZc ; true",
        "a*b*c ; aXXbYYc ; true",
        "a*b*c ; aXXcYYb ; false",
        "*a*a* ; aa ; true",
        "*a*a* ; a ; false",
        "**? ; x ; true",
        "(a|b)+ ; a ; false",
        "(a|b)+ ; (a|b)+ ; true",
        "[ab]\\d ; [ab]\\d ; true",
        "x$ ; x ; false",
      })
  void wildcardsAreIamsAndEveryOtherCharacterIsItself(
      String wanted, String actual, boolean matches) {
    assertThat(IamEvaluator.like(wanted, actual)).isEqualTo(matches);
  }

  @Test
  void aStarRunsAcrossLines() {
    assertThat(IamEvaluator.like("a*b", "a\nb")).isTrue();
    assertThat(IamEvaluator.like("a?b", "a\nb")).isTrue();
  }
}
