package dev.stint.policy;

import static dev.stint.testing.PolicyFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.identity.Principal;
import dev.stint.testing.PolicyFixtures;
import dev.stint.testing.TempDirs;
import dev.stint.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Escalation: who may decide a request that has waited, from when, and the configurations the
 * loader refuses.
 */
class EscalationRightsTest {
  static final Instant FILED = Instant.parse("2026-03-04T12:00:00Z");
  static final Policy POLICY =
      PolicyFixtures.load(
          """
      admins: 'principal.groups.exists(g, g == "platform")'
      issuers:
        corp: {issuer: https://login.example.com, audience: stint}
      profiles:
        prod:
          aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
          max_duration: 2h
          requesters: 'true'
          approval:
            count: 1
            approvers: 'principal.groups.exists(g, g == "leads")'
            escalate_after: 2h
            escalate_to: 'principal.groups.exists(g, g == "directors")'
        vault:
          aws: {role_arn: "arn:aws:iam::111122223333:role/vault"}
          max_duration: 1h
          requesters: 'true'
          approval:
            count: 1
            approvers: 'principal.groups.exists(g, g == "leads")'
            step_up: true
            escalate_after: 30m
            escalate_to: 'principal.groups.exists(g, g == "directors")'
        plain:
          aws: {role_arn: "arn:aws:iam::111122223333:role/plain"}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "leads")'}
      """);
  static final Principal ALICE = person("alice", "alice@example.com", List.of("eng"));

  /** Alice as a director: escalation never lets anyone decide their own request. */
  static final Principal ALICE_DIRECTOR =
      person("alice", "alice@example.com", List.of("directors"));

  static final Principal DIRECTOR = person("dana", "dana@example.com", List.of("directors"));
  static final Principal STRANGER = person("bob", "bob@example.com", List.of("eng"));
  final PolicyEvaluator evaluator = new PolicyEvaluator(POLICY);

  static FiledRequest alices(String profile) {
    return new FiledRequest(
        ALICE.person(),
        profile,
        new RequestFacts(Duration.ofHours(1), Optional.of("INC-1"), Optional.empty(), false),
        FILED);
  }

  static Stream<Arguments> cases() {
    Duration before = Duration.ofHours(2).minusSeconds(1);
    Duration at = Duration.ofHours(2);
    return Stream.of(
        Arguments.of(
            "a director before the wait ends",
            DIRECTOR,
            "prod",
            before,
            false,
            "escalates only at 2026-03-04T14:00:00Z"),
        Arguments.of(
            "a director when the wait ends",
            DIRECTOR,
            "prod",
            at,
            true,
            "escalated to you after 2h"),
        Arguments.of(
            "a director long after",
            DIRECTOR,
            "prod",
            Duration.ofHours(20),
            true,
            "escalated to you"),
        Arguments.of(
            "the requester, a director, after the wait",
            ALICE_DIRECTOR,
            "prod",
            at,
            false,
            "never"),
        Arguments.of(
            "someone escalate_to does not admit",
            STRANGER,
            "prod",
            at,
            false,
            "not an approver of profile 'prod'"),
        Arguments.of(
            "a director, on a profile without escalation",
            DIRECTOR,
            "plain",
            Duration.ofHours(20),
            false,
            "not an approver of profile 'plain'"));
  }

  @ParameterizedTest(name = "approve: {0}")
  @MethodSource("cases")
  void approve(
      String name, Principal who, String profile, Duration age, boolean allowed, String reason) {
    Decision d = evaluator.rights(who, alices(profile), FILED.plus(age)).mayApprove();
    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
    assertThat(d.reason()).contains(reason);
  }

  @ParameterizedTest(name = "deny: {0}")
  @MethodSource("cases")
  void deny(
      String name, Principal who, String profile, Duration age, boolean allowed, String reason) {
    Decision d = evaluator.rights(who, alices(profile), FILED.plus(age)).mayDeny();
    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
  }

  @Test
  void anEscalationApproverSeesTheRequestOnlyOnceItEscalated() {
    assertThat(
            evaluator
                .rights(DIRECTOR, alices("prod"), FILED.plus(Duration.ofHours(1)))
                .maySee()
                .allowed())
        .isFalse();
    Decision after =
        evaluator.rights(DIRECTOR, alices("prod"), FILED.plus(Duration.ofHours(2))).maySee();
    assertThat(after.allowed()).isTrue();
    assertThat(after.reason()).contains("escalation approver");
  }

  @Test
  void escalationWidensDecidingOnlyNotRevokingOrReviewing() {
    RequestRights rights =
        evaluator.rights(DIRECTOR, alices("prod"), FILED.plus(Duration.ofHours(3)));
    assertThat(rights.mayRevoke().allowed()).isFalse();
    assertThat(rights.mayReview().allowed()).isFalse();
  }

  @Test
  void stepUpStillAppliesToAnEscalationApprover() {
    Instant now = FILED.plus(Duration.ofHours(1));
    Decision stale = evaluator.rights(DIRECTOR, alices("vault"), now).mayApprove();
    assertThat(stale.allowed()).isFalse();
    assertThat(stale.reason()).contains("fresh sign-in");
    Principal fresh =
        new Principal(
            "corp",
            "https://login.example.com",
            "dana",
            Optional.of("dana@example.com"),
            List.of("directors"),
            Map.of("sub", "dana", "auth_time", now.minusSeconds(60).getEpochSecond()),
            now.plusSeconds(3600),
            Optional.empty());
    assertThat(evaluator.rights(fresh, alices("vault"), now).mayApprove().allowed()).isTrue();
  }

  @Test
  void theEvaluatorSaysFromWhenARequestHasEscalated() {
    assertThat(evaluator.escalated(alices("prod"), FILED.plus(Duration.ofMinutes(119)))).isEmpty();
    assertThat(evaluator.escalated(alices("prod"), FILED.plus(Duration.ofHours(2))))
        .hasValueSatisfying(e -> assertThat(e.to().source()).contains("directors"));
    assertThat(evaluator.escalated(alices("plain"), FILED.plus(Duration.ofDays(1)))).isEmpty();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(List.of("escalate_after: 2h"), "escalate_to: is required with escalate_after"),
        Arguments.of(
            List.of("escalate_to: 'true'"), "escalate_after: is required with escalate_to"),
        Arguments.of(
            List.of("escalate_after: 0s", "escalate_to: 'true'"),
            "escalate_after: duration '0s' must be greater than zero"),
        Arguments.of(
            List.of("escalate_after: 24h", "escalate_to: 'true'"),
            "escalate_after: must be shorter than the request timeout (1d)"),
        Arguments.of(List.of("escalate_after: soon", "escalate_to: 'true'"), "escalate_after"),
        Arguments.of(
            List.of("escalate_after: 1h", "escalate_to: 'principal.nope('"), "escalate_to"),
        Arguments.of(List.of("remind_after: 0s"), "remind_after: duration '0s' must be greater"),
        Arguments.of(List.of("remind_after: often"), "remind_after"));
  }

  @ParameterizedTest(name = "refused: {0}")
  @MethodSource("refused")
  void badEscalationIsRefusedAtLoad(List<String> keys, String problem) {
    String yaml =
        """
        issuers:
          corp: {issuer: https://login.example.com, audience: stint}
        profiles:
          prod:
            aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
            max_duration: 1h
            requesters: 'true'
            approval:
              count: 1
              approvers: 'true'
        """
            + keys.stream().map(k -> "      " + k + "\n").reduce("", String::concat);
    assertThatThrownBy(() -> PolicyFixtures.load(yaml))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void remindAfterIsReadWhenGiven() {
    Policy p =
        PolicyFixtures.load(
            """
        issuers:
          corp: {issuer: https://login.example.com, audience: stint}
        profiles:
          prod:
            aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
            max_duration: 1h
            requesters: 'true'
            approval: {count: 1, approvers: 'true', remind_after: 30m}
        """);
    assertThat(p.profile("prod").orElseThrow().approval().last().remindAfter())
        .contains(Duration.ofMinutes(30));
    assertThat(POLICY.profile("plain").orElseThrow().approval().last().remindAfter()).isEmpty();
  }

  @Test
  void theServerChecksTheWaitAgainstItsOwnRequestTimeout() throws Exception {
    Path dir = TempDirs.create("stint-escalation");
    Files.writeString(
        dir.resolve("policy.yaml"),
        """
        issuers:
          corp: {issuer: https://login.example.com, audience: stint}
        profiles:
          prod:
            aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
            max_duration: 1h
            requesters: 'true'
            approval: {count: 1, approvers: 'true', escalate_after: 2h, escalate_to: 'true'}
        """);
    assertThat(
            new PolicyLoader(Duration.ofHours(3))
                .load(dir)
                .profile("prod")
                .orElseThrow()
                .approval()
                .last()
                .escalation()
                .orElseThrow()
                .after())
        .isEqualTo(Duration.ofHours(2));
    assertThatThrownBy(() -> new PolicyLoader(Duration.ofHours(1)).load(dir))
        .hasMessageContaining("must be shorter than the request timeout (1h)");
    TestPostgres.deleteTree(dir);
  }
}
