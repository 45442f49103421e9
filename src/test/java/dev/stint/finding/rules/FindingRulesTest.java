package dev.stint.finding.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.policy.FindingAction;
import dev.stint.policy.FindingMode;
import dev.stint.policy.FindingRule;
import dev.stint.policy.FindingSeverity;
import dev.stint.policy.Findings;
import dev.stint.policy.RuleInForce;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule against its fixtures (src/test/resources/findings/RULE.json), real CloudTrail record
 * shapes read by the ingest's own reader: each case under {@code fires} raises exactly one finding
 * of its rule, each near miss none. Each rule is judged alone (the others off), on a profile and
 * person with a month of history: S3 in eu-west-1 and STS in us-east-1, thirty calls in one hour of
 * each day, from 198.51.100.0/24.
 */
class FindingRulesTest {
  static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

  static Stream<Arguments> fires() {
    return cases(true);
  }

  static Stream<Arguments> nearMisses() {
    return cases(false);
  }

  private static Stream<Arguments> cases(boolean fires) {
    return Stream.of(FindingRule.values())
        .flatMap(
            rule -> {
              FindingFixtures.Rule f = FindingFixtures.of(rule.id());
              return (fires ? f.fires() : f.nearMisses()).stream().map(c -> Arguments.of(rule, c));
            });
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("fires")
  void eachFixtureThatMustFireRaisesOneFindingOfItsRule(
      FindingRule rule, FindingFixtures.Case fixture) {
    List<Observed> calls = fixture.calls(START);

    List<Evaluation.Raised> raised = judge(rule, month(), calls);

    assertThat(raised).hasSize(1);
    Hit hit = raised.get(0).hit();
    assertThat(hit.rule()).isEqualTo(rule);
    EventRef last = hit.events().get(hit.events().size() - 1);
    assertThat(hit.why()).startsWith(rule.id() + ": ").contains(last.eventId());
    assertThat(calls).extracting(Observed::eventId).contains(last.eventId());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("nearMisses")
  void noNearMissRaisesAFinding(FindingRule rule, FindingFixtures.Case fixture) {
    assertThat(judge(rule, month(), fixture.calls(START))).isEmpty();
  }

  static Stream<Arguments> baselineFires() {
    return Stream.of(
            FindingRule.NEW_SERVICE,
            FindingRule.NEW_REGION,
            FindingRule.NEW_NETWORK,
            FindingRule.VOLUME)
        .flatMap(r -> FindingFixtures.of(r.id()).fires().stream().map(c -> Arguments.of(r, c)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("baselineFires")
  void aBaselineRuleNeverFiresOnAFirstCallNorOnHistoryYoungerThanItsLearning(
      FindingRule rule, FindingFixtures.Case fixture) {
    assertThat(judge(rule, new History(), fixture.calls(START))).as("first calls").isEmpty();
    History young = new History();
    for (long day = History.LEARNING.toDays() - 1; day >= 1; day--) {
      everyDay(young, START.minus(Duration.ofDays(day)));
    }
    assertThat(judge(rule, young, fixture.calls(START))).as("six days of history").isEmpty();
  }

  static Stream<Arguments> bursts() {
    return Stream.of(
        Arguments.of(FindingRule.SECRETS_BURST), Arguments.of(FindingRule.DENIED_BURST));
  }

  @ParameterizedTest
  @MethodSource("bursts")
  void aBurstFiresOnceOnTheCallThatReachesItsThresholdWhateverFollows(FindingRule rule) {
    FindingFixtures.Case base = FindingFixtures.of(rule.id()).fires().get(0);
    int threshold = rule.defaultThreshold();
    FindingFixtures.Case thrice =
        new FindingFixtures.Case(base.note(), base.record(), threshold * 3, Duration.ofSeconds(5));
    List<Observed> calls = thrice.calls(START);

    List<Evaluation.Raised> raised = judge(rule, month(), calls);

    List<EventRef> named = assertThat(raised).singleElement().actual().hit().events();
    assertThat(named).hasSize(threshold);
    assertThat(named.get(threshold - 1).eventId()).isEqualTo(calls.get(threshold - 1).eventId());
  }

  @ParameterizedTest
  @MethodSource("bursts")
  void aBurstUsesTheThresholdAndWindowInForce(FindingRule rule) {
    FindingFixtures.Case base = FindingFixtures.of(rule.id()).fires().get(0);
    RuleInForce tuned =
        new RuleInForce(
            rule,
            FindingMode.LIVE,
            FindingSeverity.HIGH,
            FindingAction.NOTIFY,
            new RuleInForce.Limits(3, Duration.ofMinutes(1), 0));
    List<Observed> slow =
        new FindingFixtures.Case("", base.record(), 6, Duration.ofSeconds(40)).calls(START);
    List<Observed> quick =
        new FindingFixtures.Case("", base.record(), 3, Duration.ofSeconds(20)).calls(START);

    assertThat(Evaluation.run(judged(slow), month(), (r, p) -> only(r, tuned))).isEmpty();
    assertThat(Evaluation.run(judged(quick), month(), (r, p) -> only(r, tuned))).hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("allRules")
  void aRuleThatIsOffRaisesNothing(FindingRule rule) {
    for (FindingFixtures.Case fixture : FindingFixtures.of(rule.id()).fires()) {
      assertThat(Evaluation.run(judged(fixture.calls(START)), month(), (r, p) -> off(r))).isEmpty();
    }
  }

  static Stream<FindingRule> allRules() {
    return Stream.of(FindingRule.values());
  }

  /** Judges {@code calls} of Alice's credential with {@code rule} alone live, at its defaults. */
  static List<Evaluation.Raised> judge(FindingRule rule, History history, List<Observed> calls) {
    RuleInForce live = Findings.NONE.inForce(rule, Findings.NONE);
    return Evaluation.run(judged(calls), history, (r, profile) -> only(r, live));
  }

  static List<Judged> judged(List<Observed> calls) {
    return calls.stream().map(c -> new Judged(c, FindingFixtures.ALICE)).toList();
  }

  static RuleInForce only(FindingRule asked, RuleInForce on) {
    return asked == on.rule() ? on : off(asked);
  }

  static RuleInForce off(FindingRule rule) {
    RuleInForce defaults = Findings.NONE.inForce(rule, Findings.NONE);
    return new RuleInForce(
        rule, FindingMode.OFF, defaults.severity(), defaults.action(), defaults.limits());
  }

  /** Alice's profile and Alice, a month of it: see the class comment. */
  static History month() {
    History h = new History();
    for (int day = 30; day >= 1; day--) {
      everyDay(h, START.minus(Duration.ofDays(day)));
    }
    return h;
  }

  /** One day's busy hour, the hour before {@code at}: thirty reads of S3 and STS. */
  static void everyDay(History h, Instant at) {
    Instant hour = History.hourOf(at).minus(Duration.ofHours(1));
    List<Observed> day = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      boolean s3 = i % 2 == 0;
      day.add(
          new Observed(
              "hist-" + at + "-" + i,
              hour.plus(Duration.ofMinutes(i)),
              s3 ? "s3.amazonaws.com" : "sts.amazonaws.com",
              s3 ? "ListBuckets" : "GetCallerIdentity",
              s3 ? "eu-west-1" : "us-east-1",
              Optional.of("198.51.100." + (20 + i % 3)),
              Optional.empty(),
              Optional.empty(),
              false));
    }
    judged(day).forEach(h::observe);
  }
}
