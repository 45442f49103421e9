package dev.stint.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.testing.PolicyFixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code fact("NAME")} and {@code fact("NAME", "ARGUMENT")}: declared in a profile's rules only,
 * type-checked, their calls known when a condition compiles (both arguments literal), true only
 * when the provider answered true for that very name and argument, and recorded with all of it.
 */
class OwnFactConditionsTest {
  static final Conditions CONDITIONS = new Conditions();
  static final Map<String, Object> VARIABLES =
      ConditionVariables.of(
          PolicyFixtures.person("alice", "alice@example.com", List.of("eng")),
          Map.of(),
          Instant.EPOCH);

  static FactValues answered(FactCall call, FactValues.Seen<Boolean> seen) {
    return new FactValues(Map.of(), Optional.empty(), Map.of(call, seen));
  }

  @Test
  void aConditionKnowsEveryFactItAsks() {
    Condition c =
        CONDITIONS.compile(
            "fact(\"change_open\") && (fact(\"team\", \"payments\") || fact(\"team\", \"ops\"))"
                + " && oncall(\"PABC123\")");
    assertThat(c.needs().facts())
        .containsExactly(
            FactCall.of("change_open"),
            FactCall.of("team", "ops"),
            FactCall.of("team", "payments"));
    assertThat(c.needs().schedules()).containsExactly("PABC123");
    assertThat(c.needs().none()).isFalse();
    assertThat(CONDITIONS.compile("request.reason == \"fact\"").needs().facts()).isEmpty();
  }

  @Test
  void aFactIsTrueOnlyWhenItsProviderAnsweredTrueForThatNameAndArgument() {
    Condition c = CONDITIONS.compile("fact(\"team\", \"payments\")");
    FactCall payments = FactCall.of("team", "payments");
    assertThat(
            c.evaluate(VARIABLES, answered(payments, FactValues.Seen.of(true, "http:team")))
                .value())
        .isTrue();
    assertThat(
            c.evaluate(VARIABLES, answered(payments, FactValues.Seen.of(false, "http:team")))
                .value())
        .isFalse();
    assertThat(
            c.evaluate(
                    VARIABLES,
                    answered(FactCall.of("team", "ops"), FactValues.Seen.of(true, "http:team")))
                .value())
        .as("another argument's answer")
        .isFalse();
    assertThat(
            c.evaluate(
                    VARIABLES, answered(FactCall.of("team"), FactValues.Seen.of(true, "http:team")))
                .value())
        .as("the same name without an argument")
        .isFalse();
    assertThat(c.evaluate(VARIABLES).value()).as("nothing looked up").isFalse();
    FactValues failed =
        answered(
            payments, FactValues.Seen.failed(true, "http:team", "facts.http.team answered 503"));
    assertThat(c.evaluate(VARIABLES, failed).value()).as("a failed lookup fails closed").isFalse();
    assertThat(failed.failure(c.needs()))
        .contains("fact(team, payments) is unknown: facts.http.team answered 503");
  }

  @Test
  void everyAnswerIsRecordedWithItsArgumentSourceAndErrorAndTheCallerSeesNoError() {
    FactValues seen =
        answered(FactCall.of("team", "payments"), FactValues.Seen.of(true, "http:team"))
            .with(
                answered(
                    FactCall.of("change_open"),
                    FactValues.Seen.failed(
                        false, "http:change_open", "facts.http.change_open answered 500")));
    assertThat(seen.recorded())
        .extracting(FactValues.Recorded::name)
        .containsExactly("fact(change_open)", "fact(team, payments)");
    assertThat(seen.recorded().get(1).json())
        .containsEntry("argument", "payments")
        .containsEntry("value", true)
        .containsEntry("source", "http:team")
        .doesNotContainKey("error");
    assertThat(seen.recorded().get(0).json())
        .doesNotContainKey("argument")
        .containsEntry("error", "facts.http.change_open answered 500");
    assertThat(seen.describeForCaller(seen.held()))
        .isEqualTo("fact(change_open) unknown; fact(team, payments) true");
    assertThat(
            new FactNeeds(Set.of(), false, Set.of(FactCall.of("change_open"), FactCall.of("x")))
                .without(seen.held()))
        .isEqualTo(new FactNeeds(Set.of(), false, Set.of(FactCall.of("x"))));
    assertThat(FactValues.unavailable(seen.held(), "down").recorded())
        .allSatisfy(r -> assertThat(r.error()).contains("down"));
  }

  @Test
  void aBundlesFactHoldsOnlyWhereItHoldsForEveryRequest() {
    FactCall team = FactCall.of("team", "payments");
    FactValues first = answered(team, FactValues.Seen.of(true, "http:team"));
    assertThat(
            first
                .answeredForEach(answered(team, FactValues.Seen.of(false, "http:team")))
                .fact(team))
        .isFalse();
    assertThat(
            first.answeredForEach(answered(team, FactValues.Seen.of(true, "http:team"))).fact(team))
        .isTrue();
    assertThat(
            first
                .answeredForEach(answered(team, FactValues.Seen.failed(true, "http:team", "503")))
                .failure(first.held()))
        .contains("fact(team, payments) is unknown: 503");
    assertThat(first.answeredForEach(FactValues.NONE).fact(team)).isFalse();
  }

  /**
   * The security review's M1: answers that differ between a bundle's requests are unknown, so a
   * negated fact is no yes for the request it is true of.
   */
  @Test
  void aBundlesDifferingAnswersAreUnknownSoANegatedFactIsFalse() {
    FactCall frozen = FactCall.of("frozen");
    FactValues both =
        answered(frozen, FactValues.Seen.of(true, "http:frozen"))
            .answeredForEach(answered(frozen, FactValues.Seen.of(false, "http:frozen")));
    assertThat(both.failure(both.held()))
        .contains("fact(frozen) is unknown: differs between the requests decided together");
    assertThat(CONDITIONS.compile("!fact(\"frozen\")").evaluate(Map.of(), both).value()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "fact(principal.email) | literal strings",
        "fact(\"team\", principal.email) | literal strings",
        "fact(\"team\", request.ticket) | literal strings",
        "fact(\"Team\") | is not a provider name",
        "fact(\"team-a\") | is not a provider name",
        "fact(\"\") | is not a provider name",
        "fact(\"a23456789012345678901234567890123\") | is not a provider name",
        "fact(\"team\", 1) | found no matching overload",
        "fact(\"team\", \"a\", \"b\") | found no matching overload",
        "fact(\"team\") == \"yes\" | found no matching overload",
      })
  void aFactsNameAndArgumentMustBeLiteralAndWellFormed(String condition, String problem) {
    assertThatThrownBy(() -> CONDITIONS.compile(condition)).hasMessageContaining(problem);
  }

  @Test
  void anArgumentIsShortAndPrintable() {
    assertThatThrownBy(() -> CONDITIONS.compile("fact(\"team\", \"" + "x".repeat(257) + "\")"))
        .hasMessageContaining("at most 256 characters");
    assertThatThrownBy(() -> CONDITIONS.compile("fact(\"team\", \"a\\nb\")"))
        .hasMessageContaining("control character");
    assertThat(CONDITIONS.compile("fact(\"team\", \"x\")").needs().facts()).hasSize(1);
  }

  @Test
  void factsAreAboutARequestSoOnlyAProfilesRulesHaveThem() {
    assertThatThrownBy(() -> CONDITIONS.in(Conditions.Scope.ROLE).compile("fact(\"admin\")"))
        .hasMessageContaining("undeclared reference to 'fact'");
    assertThatThrownBy(() -> CONDITIONS.in(Conditions.Scope.CI).compile("fact(\"ci_ok\")"))
        .hasMessageContaining("undeclared reference to 'fact'");
  }
}
