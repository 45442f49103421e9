package dev.stint.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.EligibilityHolds;
import dev.stint.review.ReviewItem.Choice;
import dev.stint.review.ReviewItem.Evidence;
import dev.stint.review.ReviewItem.Suggestion;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each branch of the suggestion and the edges between them. */
class SuggestionsTest {
  static final Instant START = Instant.parse("2026-08-30T00:00:00Z");
  static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");
  static final Optional<EligibilityHolds.Hold> FREE = Optional.empty();

  static Suggestion of(Evidence e) {
    return Suggestions.of(e, FREE, START, NOW);
  }

  @Test
  void aSuspendedPersonIsSuggestedRemovalFirstWhateverTheirUse() {
    Evidence busy = new Evidence(3, Optional.of(NOW.minusSeconds(60)), 500, 0);
    Suggestion s =
        Suggestions.of(
            busy,
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
    Suggestion s = of(new Evidence(0, Optional.empty(), 0, 0));
    assertThat(s)
        .isEqualTo(new Suggestion(Choice.REMOVE, "never had a credential of this profile"));
  }

  @Test
  void aLastCredentialBeforeThePeriodIsRemovalAndOneAtItsStartIsNot() {
    Suggestion before = of(new Evidence(0, Optional.of(START.minusMillis(1)), 0, 0));
    Suggestion atStart = of(new Evidence(1, Optional.of(START), 4, 0));

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
    Suggestion none = of(new Evidence(2, Optional.of(recent), 0, 2));
    Suggestion oneCall = of(new Evidence(2, Optional.of(recent), 1, 2));
    Suggestion oneUsed = of(new Evidence(2, Optional.of(recent), 0, 1));
    Suggestion noGrants = of(new Evidence(0, Optional.of(recent), 0, 0));

    assertThat(none)
        .isEqualTo(new Suggestion(Choice.REMOVE, "2 grant(s) in the period, none made a call"));
    assertThat(oneCall.choice()).isEqualTo(Choice.KEEP);
    assertThat(oneUsed.choice()).isEqualTo(Choice.KEEP);
    assertThat(noGrants.choice())
        .as("a credential in the period without a grant in it (an older grant) keeps")
        .isEqualTo(Choice.KEEP);
    assertThat(noGrants.why()).contains("0 call(s) on 0 grant(s)");
  }
}
