package dev.stint.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Facts in conditions: {@code oncall(SCHEDULE_ID)} and {@code ticket} compile in a profile's rules
 * only, what a condition reads is known when it compiles, and a fact not looked up or whose lookup
 * failed is false (fail closed) while the error stays with it.
 */
class FactConditionsTest {
  static final Conditions CONDITIONS = new Conditions();
  static final Map<String, Object> VARIABLES =
      ConditionVariables.of(
          dev.stint.testing.PolicyFixtures.person("alice", "alice@example.com", List.of("eng")),
          Map.of(),
          java.time.Instant.EPOCH);

  static FactValues onCall(String schedule, boolean value) {
    return new FactValues(
        Map.of(schedule, FactValues.Seen.of(value, "pagerduty")), Optional.empty());
  }

  static FactValues ticket(String category) {
    return new FactValues(
        Map.of(),
        Optional.of(
            FactValues.Seen.of(
                new FactValues.TicketFact(
                    true, "OPS-1", "In Progress", category, "alice@example.com", "OPS"),
                "jira")));
  }

  @Test
  void aConditionKnowsTheSchedulesAndWhetherItReadsTheTicket() {
    Condition c =
        CONDITIONS.compile(
            "oncall(\"PABC123\") || (oncall(\"PXYZ9\") && ticket.status_category == \"new\")");
    assertThat(c.needs().schedules()).containsExactlyInAnyOrder("PABC123", "PXYZ9");
    assertThat(c.needs().ticket()).isTrue();
    assertThat(CONDITIONS.compile("request.ticket == \"OPS-1\"").needs().none())
        .as("the request's own ticket text is no fact")
        .isTrue();
  }

  @Test
  void onCallIsTrueOnlyWhenLookedUpTrue() {
    Condition c = CONDITIONS.compile("oncall(\"PABC123\")");
    assertThat(c.evaluate(VARIABLES, onCall("PABC123", true)).value()).isTrue();
    assertThat(c.evaluate(VARIABLES, onCall("PABC123", false)).value()).isFalse();
    assertThat(c.evaluate(VARIABLES, onCall("POTHER1", true)).value())
        .as("another schedule's answer")
        .isFalse();
    assertThat(c.evaluate(VARIABLES).value()).as("nothing looked up").isFalse();
    FactValues failed =
        new FactValues(
            Map.of("PABC123", FactValues.Seen.failed(true, "pagerduty", "timed out after 2s")),
            Optional.empty());
    assertThat(c.evaluate(VARIABLES, failed).value()).as("a failed lookup fails closed").isFalse();
    assertThat(failed.failure(c.needs()))
        .contains("oncall(PABC123) is unknown: timed out after 2s");
  }

  /** A negated fact must not turn an outage into a yes: the condition is false, with an error. */
  @Test
  void aConditionReadingAFactNobodyCouldLookUpIsFalseEvenNegated() {
    Condition c = CONDITIONS.compile("!oncall(\"PABC123\")");
    assertThat(c.evaluate(VARIABLES, onCall("PABC123", false)).value()).isTrue();
    assertThat(c.evaluate(VARIABLES).value()).as("nothing looked up").isFalse();
    FactValues failed =
        new FactValues(
            Map.of("PABC123", FactValues.Seen.failed(false, "pagerduty", "answered 503")),
            Optional.empty());
    Condition.Evaluation outage = c.evaluate(VARIABLES, failed);
    assertThat(outage.value()).isFalse();
    assertThat(outage.error()).contains("a fact it reads could not be looked up");
    assertThat(outage.error().orElseThrow()).doesNotContain("503");
  }

  @Test
  void theTicketIsReadAsTheTrackerHasIt() {
    Condition c =
        CONDITIONS.compile(
            "ticket.exists && ticket.status_category == \"indeterminate\""
                + " && ticket.assignee_email == principal.email && ticket.project == \"OPS\"");
    FactValues alice =
        new FactValues(
            Map.of(),
            Optional.of(
                FactValues.Seen.of(
                    new FactValues.TicketFact(
                        true, "OPS-1", "In Progress", "indeterminate", "", "OPS"),
                    "jira")));
    assertThat(c.evaluate(VARIABLES, alice).value()).as("assignee differs").isFalse();
    Condition open = CONDITIONS.compile("ticket.exists && ticket.status_category != \"done\"");
    assertThat(open.evaluate(VARIABLES, ticket("indeterminate")).value()).isTrue();
    assertThat(open.evaluate(VARIABLES, ticket("done")).value()).isFalse();
    assertThat(open.evaluate(VARIABLES).value()).as("no ticket looked up").isFalse();
  }

  @Test
  void everyFactLookedUpIsRecordedWithItsSourceAndError() {
    FactValues both =
        onCall("PABC123", true)
            .with(
                new FactValues(
                    Map.of(),
                    Optional.of(
                        FactValues.Seen.failed(
                            FactValues.TicketFact.absent("OPS-1"), "jira", "HTTP 429"))));
    List<FactValues.Recorded> recorded = both.recorded();
    assertThat(recorded)
        .extracting(FactValues.Recorded::name)
        .containsExactly("oncall(PABC123)", "ticket");
    assertThat(recorded.get(0).json())
        .containsEntry("value", true)
        .containsEntry("source", "pagerduty")
        .doesNotContainKey("error");
    assertThat(recorded.get(1).json()).containsEntry("error", "HTTP 429");
    assertThat(new FactNeeds(Set.of("PABC123", "PNEW1"), true).without(both.held()))
        .isEqualTo(new FactNeeds(Set.of("PNEW1"), false));
  }

  @Test
  void aScheduleMustBeALiteralId() {
    assertThatThrownBy(() -> CONDITIONS.compile("oncall(principal.email)"))
        .hasMessageContaining("literal string");
    assertThatThrownBy(() -> CONDITIONS.compile("oncall(\"not an id\")"))
        .hasMessageContaining("is not a PagerDuty schedule id");
  }

  @Test
  void factsAreForAProfilesRulesOnly() {
    for (Conditions.Scope scope : List.of(Conditions.Scope.ROLE, Conditions.Scope.CI)) {
      assertThatThrownBy(() -> CONDITIONS.in(scope).compile("oncall(\"PABC123\")"))
          .as(scope.name())
          .hasMessageContaining("oncall");
      assertThatThrownBy(() -> CONDITIONS.in(scope).compile("ticket.exists"))
          .as(scope.name())
          .hasMessageContaining("ticket");
    }
  }

  @Test
  void endWhenLoadsTypeCheckedAndKnowsItsFacts() {
    Policy policy =
        dev.stint.testing.PolicyFixtures.load(
            PolicyLoaderTest.PROFILE_HEAD
                + PolicyLoaderTest.AWS
                + PolicyLoaderTest.REST
                + "    end_when: 'ticket.status_category == \"done\" || !oncall(\"PSRE01\")'\n");
    Profile p = policy.profile("p").orElseThrow();
    assertThat(p.endNeeds()).isEqualTo(new FactNeeds(Set.of("PSRE01"), true));
    assertThat(
            catchThrowableOfType(
                    PolicyException.class,
                    () ->
                        dev.stint.testing.PolicyFixtures.load(
                            PolicyLoaderTest.PROFILE_HEAD
                                + PolicyLoaderTest.AWS
                                + PolicyLoaderTest.REST
                                + "    end_when: 'ticket.stat == \"done\"'\n"))
                .problems())
        .singleElement()
        .asString()
        .contains("profiles.p.end_when: CEL: undefined field 'stat'");
  }

  @Test
  void aMisspeltTicketFieldIsRefused() {
    assertThatThrownBy(() -> CONDITIONS.compile("ticket.stauts == \"Done\""))
        .hasMessageContaining("undefined field 'stauts'");
    assertThatThrownBy(() -> CONDITIONS.compile("oncall(1)")).hasMessageContaining("oncall");
  }
}
