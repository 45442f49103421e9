package dev.stint.policy;

import static dev.stint.testing.PolicyFixtures.person;
import static dev.stint.testing.PolicyFixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.identity.Principal;
import dev.stint.testing.PolicyFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conditions are type-checked against the declared variables when the policy loads: a misspelt
 * field or a comparison of the wrong types is a load problem, not a rule that never matches.
 */
class TypedConditionsTest {
  static String withApprovers(String approvers) {
    return PolicyLoaderTest.PROFILE_HEAD
        + PolicyLoaderTest.AWS
        + "    max_duration: 1h\n    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: '"
        + approvers
        + "'}\n";
  }

  @Test
  void aMisspeltPrincipalFieldIsRefusedNamingFileAndKey() {
    PolicyException e =
        catchThrowableOfType(
            PolicyException.class,
            () -> PolicyFixtures.load(withApprovers("principal.group.exists(g, g == \"sre\")")));
    assertThat(e).as("the typo must not load").isNotNull();
    assertThat(e.problems())
        .singleElement()
        .asString()
        .endsWith(
            "policy.yaml: profiles.p.approval.approvers: CEL: undefined field 'group' (column 10)");
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("principal.groups == \"sre\"", "found no matching overload for '_==_'"),
        Arguments.of("principal.email == 1", "found no matching overload for '_==_'"),
        Arguments.of("request.duration_seconds > \"1h\"", "found no matching overload for '_>_'"),
        Arguments.of("request.duration > 3600", "undefined field 'duration'"),
        Arguments.of("request.break_glass == \"true\"", "found no matching overload for '_==_'"),
        Arguments.of("principal.groups.exists(g, g > 1)", "found no matching overload for '_>_'"),
        Arguments.of("principal.subject.size() > \"2\"", "found no matching overload for '_>_'"),
        Arguments.of("now > 5", "found no matching overload for '_>_'"),
        Arguments.of("principal.issuer", "condition must be boolean, is string"),
        Arguments.of("principal[\"groups\"].size() > 0", "found no matching overload for '_[_]'"),
        Arguments.of("user.groups.size() > 0", "undeclared reference to 'user'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void aTypeErrorIsRefusedWithCelsReason(String condition, String reason) {
    PolicyException e =
        catchThrowableOfType(
            PolicyException.class, () -> PolicyFixtures.load(withApprovers(condition)));
    assertThat(e).as("should be refused: " + condition).isNotNull();
    assertThat(e.problems())
        .singleElement()
        .asString()
        .contains("policy.yaml: profiles.p.approval.approvers: ")
        .contains(reason);
  }

  static Stream<String> accepted() {
    return Stream.of(
        "principal.groups.exists(g, g == \"sre\")",
        "\"sre\" in principal.groups",
        "principal.issuer == \"corp\" && principal.issuer_url.startsWith(\"https://\")",
        "principal.subject != \"\" && principal.email.endsWith(\"@example.com\")",
        "request.profile == \"p\" && request.duration_seconds <= 3600",
        "request.reason.matches(\"^INC-\") || request.ticket != \"\" || !request.break_glass",
        "has(claims.department) && claims.department == \"eng\"",
        "claims.level > 2",
        "now.getHours(\"Europe/Berlin\") < 18 && now < timestamp(\"2030-01-01T00:00:00Z\")");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void aWellTypedConditionLoads(String condition) {
    assertThat(PolicyFixtures.load(withApprovers(condition)).profile("p")).isPresent();
  }

  static final String CI_HEAD =
      "issuers:\n  gh: {issuer: https://gh.example.com, audience: s}\n"
          + "profiles:\n  p:\n"
          + PolicyLoaderTest.AWS
          + "    max_duration: 1h\n    requesters: 'false'\n"
          + "    approval: {count: 1, approvers: 'false'}\n";

  static String ciWhen(String when) {
    return CI_HEAD
        + "ci:\n  r: {issuer: gh, profile: p, max_duration: 30m, approval: none, when: '"
        + when
        + "'}\n";
  }

  static Stream<Arguments> requestOutOfScope() {
    return Stream.of(
        Arguments.of(
            ciWhen("request.reason != \"\""),
            "policy.yaml: ci.r.when: CEL: undefined field 'reason'"),
        Arguments.of(
            ciWhen("request.duration_seconds < 600"),
            "policy.yaml: ci.r.when: CEL: undefined field 'duration_seconds'"),
        Arguments.of(
            "auditors: 'request.profile == \"p\"'\n",
            "policy.yaml: auditors: CEL: undeclared reference to 'request'"),
        Arguments.of(
            "admins: 'principal.groups.exists(g, g == \"x\") && request.break_glass'\n",
            "policy.yaml: admins: CEL: undeclared reference to 'request'"));
  }

  /** A field evaluation never supplies where the condition stands would make it false forever. */
  @ParameterizedTest(name = "{1}")
  @MethodSource("requestOutOfScope")
  void aRequestFieldWhereThereIsNoneIsRefused(String yaml, String problem) {
    PolicyException e =
        catchThrowableOfType(PolicyException.class, () -> PolicyFixtures.load(yaml));
    assertThat(e).as("should be refused").isNotNull();
    assertThat(e.problems()).singleElement().asString().contains(problem);
  }

  @Test
  void aCiRuleReadsTheProfileItIsAskedFor() {
    Policy policy =
        PolicyFixtures.load(
            ciWhen("request.profile == \"p\" && claims.repository == \"acme/api\""));
    CiExchange ci = new CiExchange(policy);
    Principal job =
        workload("gh", Map.of("sub", "repo:acme/api", "repository", "acme/api"), Optional.of("j"));
    Principal other =
        workload("gh", Map.of("sub", "repo:acme/web", "repository", "acme/web"), Optional.of("j"));
    assertThat(ci.canExchange(job, "p", Instant.EPOCH).allowed()).isTrue();
    Decision denied = ci.canExchange(other, "p", Instant.EPOCH);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.reason()).isEqualTo("CI rule 'r' does not match");
  }

  @Test
  void theDeclaredFieldsAreExactlyTheOnesEvaluationSupplies() {
    Policy policy = PolicyFixtures.load(withApprovers("true"));
    RequestFacts facts =
        new RequestFacts(Duration.ofMinutes(5), Optional.empty(), Optional.empty(), false);
    Map<String, Object> vars =
        ConditionVariables.ofRequest(
            person("alice", null, List.of()),
            policy.profile("p").orElseThrow().name(),
            facts,
            Instant.EPOCH);
    assertThat(vars).containsOnlyKeys("principal", "claims", "request", "now");
    assertThat(((Map<?, ?>) vars.get("principal")).keySet())
        .isEqualTo(Conditions.PRINCIPAL.keySet());
    assertThat(((Map<?, ?>) vars.get("request")).keySet()).isEqualTo(Conditions.REQUEST.keySet());
  }

  @Test
  void typedConditionsEvaluateOverThePrincipalAndRequestAsBefore() {
    Policy policy =
        PolicyFixtures.load(
            PolicyLoaderTest.PROFILE_HEAD
                + PolicyLoaderTest.AWS
                + "    max_duration: 1h\n"
                + "    requesters: '\"sre\" in principal.groups && principal.issuer == \"corp\""
                + " && principal.email.endsWith(\"@example.com\")"
                + " && request.duration_seconds <= 1800 && request.profile == \"p\""
                + " && request.reason.startsWith(\"INC-\") && !request.break_glass"
                + " && claims.sub == principal.subject && now.getHours() == 12'\n"
                + "    approval: {count: 1, approvers: 'true'}\n");
    PolicyEvaluator evaluator = new PolicyEvaluator(policy);
    Profile p = policy.profile("p").orElseThrow();
    Instant noon = Instant.parse("2026-03-04T12:00:00Z");
    Principal alice = person("alice", "alice@example.com", List.of("sre"));
    Principal bob = person("bob", "bob@example.com", List.of("dev"));
    assertThat(evaluator.canRequest(alice, p, facts(Duration.ofMinutes(30)), noon).allowed())
        .isTrue();
    // A false that came from an evaluation error would carry "condition error": these are plain.
    for (Decision denied :
        List.of(
            evaluator.canRequest(alice, p, facts(Duration.ofHours(1)), noon),
            evaluator.canRequest(bob, p, facts(Duration.ofMinutes(30)), noon))) {
      assertThat(denied.allowed()).isFalse();
      assertThat(denied.reason())
          .isEqualTo("you are not allowed to request profile 'p'")
          .doesNotContain("condition error");
    }
  }

  private static RequestFacts facts(Duration duration) {
    return new RequestFacts(duration, Optional.of("INC-1"), Optional.empty(), false);
  }
}
