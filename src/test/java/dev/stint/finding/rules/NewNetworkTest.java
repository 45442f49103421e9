package dev.stint.finding.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.policy.FindingRule;
import dev.stint.policy.Findings;
import dev.stint.policy.RuleInForce;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code new_network} on Alice, who called from six networks of her own (some on another profile's
 * credentials): what its sentence tells of her, and how long a network she left counts as known.
 * Anyone who may see the one request the call was made on reads the sentence, and it is in the
 * audit, so it names the new network alone and counts the others.
 */
class NewNetworkTest {
  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  static final Origin ALICE = FindingFixtures.ALICE;
  static final Origin OTHER_PROFILE =
      new Origin(
          "crd_9", "req_9", "grt_9", Optional.empty(), FindingFixtures.ALICE.holder(), "home-lab");
  static final RuleInForce LIVE = Findings.NONE.inForce(FindingRule.NEW_NETWORK, Findings.NONE);

  static Observed call(String id, Instant at, String address) {
    return new Observed(
        id,
        at,
        "sts.amazonaws.com",
        "GetCallerIdentity",
        "us-east-1",
        Optional.of(address),
        Optional.empty(),
        Optional.empty(),
        false);
  }

  /** Alice's month: her office on this profile, five networks of her own on another. */
  static History aliceCalledFromSixNetworks() {
    History h = new History();
    h.observe(new Judged(call("h-0", NOW.minus(Duration.ofDays(30)), "198.51.100.20"), ALICE));
    for (int i = 1; i <= 5; i++) {
      h.observe(
          new Judged(
              call("h-" + i, NOW.minus(Duration.ofDays(30 - i)), "192.0." + (10 + i) + ".7"),
              OTHER_PROFILE));
    }
    return h;
  }

  static Optional<Hit> judge(History h, Observed c) {
    return new NewNetwork().check(new Judged(c, ALICE), h, LIVE.limits());
  }

  @Test
  void theSentenceNamesTheNewNetworkAloneAndCountsTheOthers() {
    Hit hit = judge(aliceCalledFromSixNetworks(), call("e-1", NOW, "203.0.113.77")).orElseThrow();

    assertThat(hit.why())
        .startsWith("new_network: ")
        .contains("203.0.113.0/24", "6 other networks", "e-1")
        .doesNotContain("198.51.100", "192.0.1");
  }

  @Test
  void aNetworkLastUsedBeyondTheNoveltyWindowIsNewAgainAndOneWithinItIsNot() {
    History h = aliceCalledFromSixNetworks();
    Instant later = NOW.plus(History.NOVELTY).minus(Duration.ofDays(20));
    h.observe(new Judged(call("h-recent", later.minus(Duration.ofDays(1)), "192.0.15.7"), ALICE));

    assertThat(judge(h, call("e-old", later, "198.51.100.9")))
        .as("the office, last used 100 days before")
        .hasValueSatisfying(hit -> assertThat(hit.why()).contains("1 other network since"));
    assertThat(judge(h, call("e-recent", later, "192.0.15.99")))
        .as("a network used the day before")
        .isEmpty();
  }
}
