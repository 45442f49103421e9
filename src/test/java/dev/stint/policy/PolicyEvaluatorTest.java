package dev.stint.policy;

import static dev.stint.testing.PolicyFixtures.person;
import static dev.stint.testing.PolicyFixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.identity.Person;
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

/** Every allow and every deny reason of the pure evaluator, as tables. */
class PolicyEvaluatorTest {
  static final Instant NOON = Instant.parse("2026-03-04T12:00:00Z");
  static final Policy POLICY =
      PolicyFixtures.load(
          """
      auditors: 'principal.groups.exists(g, g == "security")'
      admins: 'principal.groups.exists(g, g == "platform")'
      issuers:
        corp: {issuer: https://login.example.com, audience: stint}
        github: {issuer: https://token.actions.githubusercontent.com, audience: stint}
      login: {issuer: corp, client_id: cli}
      profiles:
        admin:
          aws: {role_arn: "arn:aws:iam::111122223333:role/admin"}
          max_duration: 2h
          requesters: 'principal.groups.exists(g, g == "sre")'
          approval:
            count: 2
            approvers: 'principal.groups.exists(g, g == "leads")'
            auto_approve: 'principal.groups.exists(g, g == "primary") && now.getHours() < 18'
          reason: {required: true, pattern: '^INC-[0-9]+'}
          break_glass: true
        viewer:
          aws: {role_arn: "arn:aws:iam::111122223333:role/viewer"}
          max_duration: 1h
          requesters: 'claims.department == "eng"'
          approval: {count: 1, approvers: 'principal.email.endsWith("@example.com")'}
        deploy:
          aws: {role_arn: "arn:aws:iam::111122223333:role/deploy"}
          max_duration: 1h
          requesters: 'false'
          approval: {count: 1, approvers: 'false'}
      ci:
        main:
          issuer: github
          profile: deploy
          when: 'claims.repository == "acme/api" && claims.ref == "refs/heads/main"'
          max_duration: 30m
          approval: none
        loose:
          issuer: github
          profile: deploy
          when: 'claims.repository == "acme/tools"'
          max_duration: 30m
          approval: required
          jti_required: false
      """);
  final PolicyEvaluator evaluator = new PolicyEvaluator(POLICY);
  final CiExchange ci = new CiExchange(POLICY);

  static final Principal SRE = person("alice", "alice@example.com", List.of("sre"));
  static final Principal PRIMARY = person("dave", "dave@example.com", List.of("sre", "primary"));
  static final Principal LEAD = person("carol", "carol@example.com", List.of("leads"));
  static final Principal ENG = person("bob", null, List.of("eng"));
  static final Principal ENG_DEPT =
      new Principal(
          "corp",
          "https://login.example.com",
          "bob",
          Optional.empty(),
          List.of(),
          Map.of("department", "eng"),
          NOON,
          Optional.empty());

  static RequestFacts facts(String duration, String reason, boolean breakGlass) {
    return new RequestFacts(
        Duration.parse(duration), Optional.ofNullable(reason), Optional.empty(), breakGlass);
  }

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of(
            "allowed", SRE, "admin", facts("PT1H", "INC-1 db down", false), true, "may request"),
        Arguments.of(
            "exactly the maximum",
            SRE,
            "admin",
            facts("PT2H", "INC-1", false),
            true,
            "may request"),
        Arguments.of(
            "break-glass where allowed",
            SRE,
            "admin",
            facts("PT1H", "INC-2", true),
            true,
            "may request"),
        Arguments.of(
            "not a requester",
            LEAD,
            "admin",
            facts("PT1H", "INC-1", false),
            false,
            "not allowed to request profile 'admin'"),
        Arguments.of(
            "over the maximum (never shortened)",
            SRE,
            "admin",
            facts("PT2H1M", "INC-1", false),
            false,
            "requested duration 2h1m exceeds the maximum of 2h"),
        Arguments.of(
            "zero duration",
            SRE,
            "admin",
            facts("PT0S", "INC-1", false),
            false,
            "must be positive"),
        Arguments.of(
            "negative duration",
            SRE,
            "admin",
            facts("PT-1H", "INC-1", false),
            false,
            "must be positive"),
        Arguments.of(
            "reason missing", SRE, "admin", facts("PT1H", null, false), false, "requires a reason"),
        Arguments.of(
            "reason blank", SRE, "admin", facts("PT1H", "  ", false), false, "requires a reason"),
        Arguments.of(
            "reason off pattern",
            SRE,
            "admin",
            facts("PT1H", "because", false),
            false,
            "does not match the pattern ^INC-[0-9]+"),
        Arguments.of(
            "break-glass not allowed",
            ENG_DEPT,
            "viewer",
            facts("PT1H", null, true),
            false,
            "does not allow break-glass"),
        Arguments.of(
            "claim condition", ENG, "viewer", facts("PT1H", null, false), false, "condition error"),
        Arguments.of(
            "requesters false for all",
            SRE,
            "deploy",
            facts("PT1H", null, false),
            false,
            "not allowed to request"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void canRequest(
      String name, Principal p, String profile, RequestFacts f, boolean allowed, String reason) {
    Decision d = evaluator.canRequest(p, POLICY.profile(profile).orElseThrow(), f, NOON);
    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
    assertThat(d.reason()).contains(reason);
  }

  @Test
  void aClaimConditionAllowsWhenTheClaimIsThere() {
    assertThat(
            evaluator
                .canRequest(
                    ENG_DEPT,
                    POLICY.profile("viewer").orElseThrow(),
                    facts("PT1H", null, false),
                    NOON)
                .allowed())
        .isTrue();
  }

  static Stream<Arguments> approvals() {
    Person alice = SRE.person();
    return Stream.of(
        Arguments.of(
            "a lead approves another's request", LEAD, "admin", alice, true, "may approve"),
        Arguments.of(
            "not an approver", ENG, "admin", alice, false, "not an approver of profile 'admin'"),
        Arguments.of(
            "own request (same subject)",
            LEAD,
            "admin",
            LEAD.person(),
            false,
            "never approve their own request"),
        Arguments.of(
            "own request (same email, other issuer)",
            LEAD,
            "admin",
            new Person("https://other.example.com", "c-2", Optional.of("CAROL@example.com")),
            false,
            "own request"),
        Arguments.of(
            "own request even when the policy would allow",
            LEAD,
            "viewer",
            LEAD.person(),
            false,
            "own request"),
        Arguments.of(
            "approver condition on a missing email",
            ENG,
            "viewer",
            alice,
            false,
            "not an approver"),
        Arguments.of("email approver", LEAD, "viewer", alice, true, "may approve"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("approvals")
  void mayApprove(
      String name,
      Principal approver,
      String profile,
      Person requester,
      boolean allowed,
      String reason) {
    FiledRequest filed = new FiledRequest(requester, profile, facts("PT1H", "INC-1", false), NOON);
    Decision d = evaluator.rights(approver, filed, NOON).mayApprove();
    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
    assertThat(d.reason()).contains(reason);
  }

  static Stream<Arguments> autoApprovals() {
    return Stream.of(
        Arguments.of("primary at noon", PRIMARY, "admin", NOON, true, "auto-approved"),
        Arguments.of(
            "primary in the evening (now)",
            PRIMARY,
            "admin",
            Instant.parse("2026-03-04T19:00:00Z"),
            false,
            "does not match you"),
        Arguments.of("not primary", SRE, "admin", NOON, false, "does not match you"),
        Arguments.of("no rule", ENG, "viewer", NOON, false, "has no auto-approve rule"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("autoApprovals")
  void autoApproves(
      String name, Principal p, String profile, Instant at, boolean allowed, String reason) {
    Decision d =
        evaluator.autoApproves(
            p, POLICY.profile(profile).orElseThrow(), facts("PT1H", "INC-1", false), at);
    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
    assertThat(d.reason()).contains(reason);
  }

  static Stream<Arguments> exchanges() {
    Map<String, Object> main =
        Map.of("sub", "repo:acme/api", "repository", "acme/api", "ref", "refs/heads/main");
    Map<String, Object> branch =
        Map.of("sub", "repo:acme/api", "repository", "acme/api", "ref", "refs/heads/dev");
    Map<String, Object> tools = Map.of("sub", "repo:acme/tools", "repository", "acme/tools");
    return Stream.of(
        Arguments.of("main branch", workload("github", main, Optional.of("j1")), "deploy", "main"),
        Arguments.of(
            "jti not required by the rule",
            workload("github", tools, Optional.empty()),
            "deploy",
            "loose"),
        Arguments.of(
            "wrong branch",
            workload("github", branch, Optional.of("j2")),
            "deploy",
            "CI rule 'main' does not match"),
        Arguments.of(
            "no jti",
            workload("github", main, Optional.empty()),
            "deploy",
            "requires a token with a jti"),
        Arguments.of(
            "profile not named by a rule",
            workload("github", main, Optional.of("j3")),
            "admin",
            "no CI rule for issuer 'github' and profile 'admin'"),
        Arguments.of(
            "issuer not named by a rule",
            workload("other", main, Optional.of("j4")),
            "deploy",
            "no CI rule for issuer 'other'"),
        Arguments.of(
            "people's issuer never matches",
            workload("corp", main, Optional.of("j5")),
            "deploy",
            "no CI rule for issuer 'corp'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exchanges")
  void exchange(String name, Principal p, String profile, String expected) {
    Decision d = ci.canExchange(p, profile, NOON);
    Optional<CiRule> rule = ci.match(p, profile, NOON);
    assertThat(rule.isPresent()).isEqualTo(d.allowed());
    if (d.allowed()) {
      assertThat(rule.get().name()).isEqualTo(expected);
    } else {
      assertThat(d.reason()).contains(expected);
    }
  }

  @Test
  void rolesFollowTheirConditionsAndAbsentRolesHaveNobody() {
    Principal sec = person("s", null, List.of("security"));
    Principal plat = person("p", null, List.of("platform"));
    assertThat(evaluator.isAuditor(sec, NOON)).isTrue();
    assertThat(evaluator.isAuditor(plat, NOON)).isFalse();
    assertThat(evaluator.isAdmin(plat, NOON)).isTrue();
    assertThat(evaluator.isAdmin(sec, NOON)).isFalse();
    PolicyEvaluator none = new PolicyEvaluator(PolicyFixtures.load("profiles: {}\n"));
    assertThat(none.isAuditor(sec, NOON)).isFalse();
    assertThat(none.isAdmin(plat, NOON)).isFalse();
  }
}
