package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.testing.DenyEvaluator.Session;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The test evaluator itself: it must say no as readily as yes, or the tests using it prove nothing.
 */
class DenyEvaluatorTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final String TAGGED =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A\","
          + "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
          + "{\"aws:PrincipalTag/stint:grant\":[\"g-1\",\"g-2\"]}}}]}";

  private static Session session(Map<String, String> tags, String source, Instant issued) {
    return new Session(tags, Optional.ofNullable(source), issued);
  }

  @Test
  void aTagInTheListIsDeniedAnotherOrAMissingTagIsNot() {
    assertThat(DenyEvaluator.denies(TAGGED, session(Map.of("stint:grant", "g-2"), null, NOW), NOW))
        .isTrue();
    assertThat(DenyEvaluator.denies(TAGGED, session(Map.of("stint:grant", "g-3"), null, NOW), NOW))
        .isFalse();
    assertThat(DenyEvaluator.denies(TAGGED, session(Map.of(), "g-2", NOW), NOW)).isFalse();
  }

  @Test
  void allConditionsOfAStatementMustHoldAndOnlyDenyOfEverythingCounts() {
    String both =
        "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"aws:SourceIdentity\":\"jane\"},"
            + "\"DateLessThan\":{\"aws:TokenIssueTime\":\"2026-11-23T10:00:00Z\"}}}}";
    assertThat(DenyEvaluator.denies(both, session(Map.of(), "jane", NOW.minusSeconds(1)), NOW))
        .isTrue();
    assertThat(DenyEvaluator.denies(both, session(Map.of(), "jane", NOW), NOW)).isFalse();
    assertThat(
            DenyEvaluator.denies(
                both.replace("\"Action\":\"*\"", "\"Action\":\"s3:*\""),
                session(Map.of(), "jane", NOW.minusSeconds(1)),
                NOW))
        .isFalse();
    assertThat(
            DenyEvaluator.denies(
                both.replace("Deny", "Allow"), session(Map.of(), "jane", NOW.minusSeconds(1)), NOW))
        .isFalse();
  }

  @Test
  void nullAsksWhetherAKeyIsPresentAndStringLikeMatchesGlobs() {
    String tagged =
        "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
            + "\"Condition\":{\"Null\":{\"aws:PrincipalTag/stint:grant\":\"false\"}}}}";
    assertThat(DenyEvaluator.denies(tagged, session(Map.of("stint:grant", "g"), null, NOW), NOW))
        .isTrue();
    assertThat(DenyEvaluator.denies(tagged, session(Map.of(), null, NOW), NOW)).isFalse();
    String like =
        "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringLike\":{\"aws:SourceIdentity\":\"????.*\"}}}}";
    assertThat(DenyEvaluator.denies(like, session(Map.of(), "abcd.grt_1", NOW), NOW)).isTrue();
    assertThat(DenyEvaluator.denies(like, session(Map.of(), "abc.grt_1", NOW), NOW)).isFalse();
    assertThat(DenyEvaluator.denies(like, session(Map.of(), "abcde", NOW), NOW)).isFalse();
  }

  @Test
  void anOperatorItDoesNotKnowFailsInsteadOfGuessing() {
    String like = TAGGED.replace("StringEquals", "ForAnyValue:StringEquals");
    assertThatThrownBy(
            () -> DenyEvaluator.denies(like, session(Map.of("stint:grant", "g-1"), null, NOW), NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
