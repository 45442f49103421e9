package dev.stint.finding.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.policy.FindingRule;
import dev.stint.policy.FindingSeverity;
import dev.stint.policy.Findings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A benign replay: an on-call engineer's day of reads across ten services
 * (src/test/resources/findings/on_call_day.json), every rule live at its defaults, after a month in
 * which the profile used eight of them from the office by day and from home in the evening. The day
 * raises nothing above {@code low}: the two services the month did not use are new ({@code
 * new_service}, low), and that is all.
 */
class OnCallDayTest {
  static final Instant DAY = Instant.parse("2026-03-02T00:00:00Z");
  static final List<JsonNode> READS = FindingFixtures.records("on_call_day", "records");
  static final List<JsonNode> OCCASIONAL = FindingFixtures.records("on_call_day", "occasional");

  /** The two of the ten the month before did not use. */
  static final List<String> NEW_TODAY = List.of("rds.amazonaws.com", "dynamodb.amazonaws.com");

  @Test
  void aDayOfOnCallReadsRaisesNothingAboveLow() {
    History month = new History();
    for (int d = 30; d >= 1; d--) {
      day(DAY.minus(Duration.ofDays(d)), false).forEach(c -> month.observe(alice(c)));
    }
    List<Observed> today = day(DAY, true);

    List<Evaluation.Raised> raised =
        Evaluation.run(
            today.stream().map(OnCallDayTest::alice).toList(),
            month,
            (rule, profile) -> Findings.NONE.inForce(rule, Findings.NONE));

    assertThat(today).hasSizeGreaterThan(400);
    assertThat(raised)
        .allSatisfy(r -> assertThat(r.inForce().severity()).isEqualTo(FindingSeverity.LOW));
    assertThat(raised)
        .extracting(r -> r.hit().rule())
        .containsOnly(FindingRule.NEW_SERVICE)
        .hasSize(2);
    assertThat(raised)
        .extracting(r -> r.hit().events().get(0).eventSource())
        .containsExactlyInAnyOrderElementsOf(NEW_TODAY);
  }

  /**
   * From eight in the morning to eight in the evening, a read every ninety seconds (the office's
   * addresses by day, home's after six), the ten services in turn (all but {@link #NEW_TODAY} when
   * {@code all} is false), and now and then a secret read, a parameter read or a refused write.
   */
  static List<Observed> day(Instant midnight, boolean all) {
    List<Observed> out = new ArrayList<>();
    Instant t = midnight.plus(Duration.ofHours(8));
    Instant end = midnight.plus(Duration.ofHours(20));
    List<JsonNode> reads =
        READS.stream()
            .filter(r -> all || !NEW_TODAY.contains(r.path("eventSource").asText()))
            .toList();
    for (int i = 0; t.isBefore(end); i++, t = t.plus(Duration.ofSeconds(90))) {
      String address =
          t.isBefore(midnight.plus(Duration.ofHours(18)))
              ? "198.51.100." + (20 + i % 5)
              : "203.0.113." + (40 + i % 3);
      JsonNode record =
          i % 120 == 60
              ? OCCASIONAL.get((i / 120) % OCCASIONAL.size())
              : reads.get(i % reads.size());
      out.add(
          FindingFixtures.at(record, t, address, "oncall-" + midnight.getEpochSecond() + "-" + i));
    }
    return out;
  }

  static Judged alice(Observed c) {
    return new Judged(c, FindingFixtures.ALICE);
  }
}
