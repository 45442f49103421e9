package dev.stint.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.EligibilityHolds;
import dev.stint.activity.Visibility;
import dev.stint.review.ReviewItem.Choice;
import dev.stint.review.ReviewItem.Evidence;
import dev.stint.review.ReviewItem.Suggestion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each branch of the suggestion and the edges between them; and never a removal on grants whose
 * calls stint could not all have seen.
 */
class SuggestionsTest {
  static final Instant START = Instant.parse("2026-08-30T00:00:00Z");
  static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");
  static final Optional<EligibilityHolds.Hold> FREE = Optional.empty();

  /** What stint sees of calls where the push delivers the account's data events: every call. */
  static final Visibility WHOLE =
      Visibility.of(new Visibility.Facts(1, 1, 0, Visibility.Push.ON, List.of()));

  static Suggestion of(Evidence e) {
    return Suggestions.of(e, WHOLE, FREE, START, NOW);
  }

  static Evidence evidence(int grants, Optional<Instant> last, long calls, int unused) {
    return new Evidence(grants, last, calls, unused, Optional.of(0));
  }

  @Test
  void aSuspendedPersonIsSuggestedRemovalFirstWhateverTheirUse() {
    Evidence busy = evidence(3, Optional.of(NOW.minusSeconds(60)), 500, 0);
    Suggestion s =
        Suggestions.of(
            busy,
            WHOLE,
            Optional.of(new EligibilityHolds.Hold("rvw_old", START.plusSeconds(5))),
            START,
            NOW);

    assertThat(s.choice()).isEqualTo(Choice.REMOVE);
    assertThat(s.why())
        .isEqualTo(
            "suspended by access review rvw_old since 2026-08-30T00:00:05Z;"
                + " keep restores their eligibility");
  }

  @Test
  void whoNeverHadACredentialIsSuggestedRemoval() {
    Suggestion s = of(evidence(0, Optional.empty(), 0, 0));
    assertThat(s)
        .isEqualTo(new Suggestion(Choice.REMOVE, "never had a credential of this profile"));
  }

  @Test
  void aLastCredentialBeforeThePeriodIsRemovalAndOneAtItsStartIsNot() {
    Suggestion before = of(evidence(0, Optional.of(START.minusMillis(1)), 0, 0));
    Suggestion atStart = of(evidence(1, Optional.of(START), 4, 0));

    assertThat(before.choice()).isEqualTo(Choice.REMOVE);
    assertThat(before.why())
        .isEqualTo("unused for 90 days (last credential 2026-08-29T23:59:59.999Z)");
    assertThat(atStart.choice()).isEqualTo(Choice.KEEP);
    assertThat(atStart.why())
        .isEqualTo("last credential 2026-08-30T00:00:00Z; 4 call(s) on 1 grant(s) in the period");
  }

  @Test
  void grantsThatAllEndedWithoutACallAreRemovalButOneCallKeeps() {
    Instant recent = NOW.minusSeconds(3600);
    Suggestion none = of(evidence(2, Optional.of(recent), 0, 2));
    Suggestion oneCall = of(evidence(2, Optional.of(recent), 1, 2));
    Suggestion oneUsed = of(evidence(2, Optional.of(recent), 0, 1));
    Suggestion noGrants = of(evidence(0, Optional.of(recent), 0, 0));

    assertThat(none)
        .isEqualTo(new Suggestion(Choice.REMOVE, "2 grant(s) in the period, none made a call"));
    assertThat(oneCall.choice()).isEqualTo(Choice.KEEP);
    assertThat(oneUsed.choice()).isEqualTo(Choice.KEEP);
    assertThat(noGrants.choice())
        .as("a credential in the period without a grant in it (an older grant) keeps")
        .isEqualTo(Choice.KEEP);
    assertThat(noGrants.why()).contains("0 call(s) on 0 grant(s)");
  }

  static Stream<Arguments> blind() {
    Instant recent = NOW.minusSeconds(3600);
    Visibility pushOff =
        Visibility.of(new Visibility.Facts(2, 2, 0, Visibility.Push.OFF, List.of()));
    Visibility notPushed =
        Visibility.of(new Visibility.Facts(2, 2, 0, Visibility.Push.ON, List.of("111122223333")));
    Visibility azure = Visibility.of(new Visibility.Facts(2, 0, 2, Visibility.Push.ON, List.of()));
    Visibility console =
        Visibility.of(new Visibility.Facts(2, 0, 0, Visibility.Push.ON, List.of()));
    return Stream.of(
        Arguments.of(
            "data events, the push off",
            new Evidence(2, Optional.of(recent), 0, 2, Optional.of(2)),
            pushOff,
            "S3 object reads"),
        Arguments.of(
            "data events, the push on but none delivered from the account",
            new Evidence(2, Optional.of(recent), 0, 2, Optional.of(2)),
            notPushed,
            "delivered none from account 111122223333"),
        Arguments.of(
            "an Entra token's reads",
            new Evidence(2, Optional.of(recent), 0, 2, Optional.of(2)),
            azure,
            "Azure reads"),
        Arguments.of(
            "console sign-in links",
            new Evidence(2, Optional.of(recent), 0, 2, Optional.of(2)),
            console,
            "console sign-in links"),
        Arguments.of(
            "one of two grants unseen",
            new Evidence(2, Optional.of(recent), 0, 2, Optional.of(1)),
            pushOff,
            "1 could have made calls"),
        Arguments.of(
            "unseen grants not counted (as in a review opened before they were)",
            new Evidence(2, Optional.of(recent), 0, 2, Optional.empty()),
            WHOLE,
            "2 could have made calls"),
        Arguments.of(
            "a count of unseen grants whatever the reasons say",
            new Evidence(1, Optional.of(recent), 0, 1, Optional.of(1)),
            WHOLE,
            "not every call was visible"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blind")
  void noCallSeenWhereCallsCouldGoUnseenIsNeverARemoval(
      String name, Evidence e, Visibility unseen, String why) {
    Suggestion s = Suggestions.of(e, unseen, FREE, START, NOW);

    assertThat(s.choice()).isEqualTo(Choice.KEEP);
    assertThat(s.why())
        .startsWith("no call seen on " + e.grants() + " grant(s) in the period, but ")
        .contains(why)
        .endsWith("so that is no evidence of non-use");
  }

  @Test
  void aPersonWhoReadsS3DailyWithoutThePushIsKept() {
    // Management calls looked up find nothing; the S3 reads are data events, never looked up.
    Evidence daily = new Evidence(30, Optional.of(NOW.minusSeconds(600)), 0, 30, Optional.of(30));
    Visibility lookedUpOnly =
        Visibility.of(new Visibility.Facts(30, 30, 0, Visibility.Push.OFF, List.of()));

    assertThat(Suggestions.of(daily, lookedUpOnly, FREE, START, NOW).choice())
        .isEqualTo(Choice.KEEP);
    Evidence seenWhole =
        new Evidence(30, Optional.of(NOW.minusSeconds(600)), 0, 30, Optional.of(0));
    assertThat(Suggestions.of(seenWhole, WHOLE, FREE, START, NOW).choice())
        .as("the same grants, every call visible and none made: removal")
        .isEqualTo(Choice.REMOVE);
  }
}
