package dev.stint.policy;

import static dev.stint.testing.PolicyFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.testing.PolicyFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every "may" about a filed request, allowed and refused, with the reasons, as one table. */
class RequestRightsTest {
  static final Instant NOON = Instant.parse("2026-03-04T12:00:00Z");
  static final Policy POLICY =
      PolicyFixtures.load(
          """
      auditors: 'principal.groups.exists(g, g == "security")'
      admins: 'principal.groups.exists(g, g == "platform")'
      issuers:
        corp: {issuer: https://login.example.com, audience: stint}
        partner: {issuer: https://partner.example.com, audience: stint}
      profiles:
        prod:
          aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "leads")'}
          break_glass: true
          extension: {max_total: 4h, approval: required}
        vault:
          aws: {role_arn: "arn:aws:iam::111122223333:role/vault"}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "leads")', step_up: true}
        short:
          aws: {role_arn: "arn:aws:iam::111122223333:role/short"}
          max_duration: 8h
          requesters: 'true'
          approval:
            count: 1
            approvers: 'principal.groups.exists(g, g == "leads") && request.duration_seconds <= 3600'
      """);
  final PolicyEvaluator evaluator = new PolicyEvaluator(POLICY);

  static final Principal ALICE = person("alice", "alice@example.com", List.of("eng"));

  /** Alice again, as a lead: a lead's rights never reach their own request. */
  static final Principal ALICE_LEAD = person("alice", "alice@example.com", List.of("leads"));

  /** Someone at another issuer who shares Alice's email: no rights from it, only refusals. */
  static final Principal ALICE_ELSEWHERE =
      new Principal(
          "partner",
          "https://partner.example.com",
          "a-77",
          Optional.of("ALICE@example.com"),
          List.of("leads", "platform"),
          Map.of("sub", "a-77"),
          NOON.plusSeconds(3600),
          Optional.empty());

  /**
   * Alice's email at another issuer again, a lead but no admin: nothing else answers for her, so
   * only the rule that an email might be the requester refuses her an approver's rights.
   */
  static final Principal ALICE_ELSEWHERE_LEAD =
      new Principal(
          "partner",
          "https://partner.example.com",
          "a-78",
          Optional.of("alice@example.com"),
          List.of("leads"),
          Map.of("sub", "a-78"),
          NOON.plusSeconds(3600),
          Optional.empty());

  static final Principal LEAD = person("carol", "carol@example.com", List.of("leads"));
  static final Principal ADMIN = person("pat", "pat@example.com", List.of("platform"));
  static final Principal AUDITOR = person("sam", "sam@example.com", List.of("security"));
  static final Principal STRANGER = person("bob", "bob@example.com", List.of("eng"));

  /** Alice's request for {@code profile}, for {@code length}. */
  static FiledRequest alices(String profile, Duration length) {
    return new FiledRequest(
        ALICE.person(),
        profile,
        new RequestFacts(length, Optional.of("INC-1"), Optional.empty(), false),
        NOON);
  }

  static final FiledRequest PROD = alices("prod", Duration.ofHours(1));

  /** A request whose profile has since left the policy. */
  static final FiledRequest GONE = alices("retired", Duration.ofHours(1));

  /** Carol the lead, signed in at {@code at} (OIDC auth_time), as a fresh or stale token says. */
  static Principal leadSignedInAt(Instant at) {
    Map<String, Object> claims = new HashMap<>(LEAD.claims());
    claims.put("auth_time", at.getEpochSecond());
    return new Principal(
        LEAD.issuerName(),
        LEAD.issuer(),
        LEAD.subject(),
        LEAD.email(),
        LEAD.groups(),
        claims,
        LEAD.tokenExpiresAt(),
        LEAD.tokenId());
  }

  static Stream<Arguments> cases() {
    FiledRequest vault = alices("vault", Duration.ofHours(1));
    Principal fresh = leadSignedInAt(NOON.minus(Duration.ofMinutes(9)));
    Principal stale = leadSignedInAt(NOON.minus(Duration.ofMinutes(11)));
    Principal ahead = leadSignedInAt(NOON.plus(Duration.ofMinutes(5)));
    FiledRequest shortOne = alices("short", Duration.ofHours(1));
    FiledRequest shortLong = alices("short", Duration.ofHours(2));
    return Stream.of(
        Arguments.of("see: the requester", "see", ALICE, PROD, true, "your own request"),
        Arguments.of("see: an approver", "see", LEAD, PROD, true, "an approver of profile 'prod'"),
        Arguments.of("see: an admin", "see", ADMIN, PROD, true, "admins"),
        Arguments.of("see: an auditor", "see", AUDITOR, PROD, true, "auditors"),
        Arguments.of("see: anyone else", "see", STRANGER, PROD, false, "may see this request"),
        Arguments.of("see: the requester, profile gone", "see", ALICE, GONE, true, "your own"),
        Arguments.of("see: an approver, profile gone", "see", LEAD, GONE, false, "may see"),
        Arguments.of("see: an admin, profile gone", "see", ADMIN, GONE, true, "admins"),
        Arguments.of("approve: an approver", "approve", LEAD, PROD, true, "may approve"),
        Arguments.of(
            "approve: not an approver",
            "approve",
            STRANGER,
            PROD,
            false,
            "not an approver of profile 'prod'"),
        Arguments.of(
            "approve: an admin is no approver", "approve", ADMIN, PROD, false, "not an approver"),
        Arguments.of(
            "approve: own request, though a lead",
            "approve",
            ALICE_LEAD,
            PROD,
            false,
            "never approve their own request"),
        Arguments.of(
            "approve: same email under another issuer",
            "approve",
            ALICE_ELSEWHERE,
            PROD,
            false,
            "never approve their own request"),
        Arguments.of(
            "approve: profile gone", "approve", LEAD, GONE, false, "no longer in the policy"),
        Arguments.of(
            "approve: the condition reads the request",
            "approve",
            LEAD,
            shortOne,
            true,
            "may approve"),
        Arguments.of(
            "approve: ... and refuses a longer one",
            "approve",
            LEAD,
            shortLong,
            false,
            "not an approver of profile 'short'"),
        Arguments.of(
            "approve, step-up: signed in nine minutes ago",
            "approve",
            fresh,
            vault,
            true,
            "may approve"),
        Arguments.of(
            "approve, step-up: signed in eleven minutes ago",
            "approve",
            stale,
            vault,
            false,
            "needs a fresh sign-in to decide (step-up)"),
        Arguments.of(
            "approve, step-up: no sign-in time",
            "approve",
            LEAD,
            vault,
            false,
            "carries no sign-in time"),
        Arguments.of(
            "approve, step-up: a sign-in time ahead of the clock",
            "approve",
            ahead,
            vault,
            false,
            "fresh sign-in"),
        Arguments.of("deny, step-up: stale", "deny", stale, vault, false, "fresh sign-in"),
        Arguments.of(
            "see, step-up: a stale approver still sees", "see", stale, vault, true, "an approver"),
        Arguments.of(
            "revoke, step-up: a stale approver still revokes",
            "revoke",
            stale,
            vault,
            true,
            "may revoke"),
        Arguments.of(
            "approve, step-up: the requester, however fresh",
            "approve",
            ALICE_LEAD,
            vault,
            false,
            "never approve their own"),
        Arguments.of("deny: an approver", "deny", LEAD, PROD, true, "may deny"),
        Arguments.of("deny: not an approver", "deny", STRANGER, PROD, false, "not an approver"),
        Arguments.of("deny: own request", "deny", ALICE_LEAD, PROD, false, "they cancel it"),
        Arguments.of(
            "deny: same email under another issuer",
            "deny",
            ALICE_ELSEWHERE,
            PROD,
            false,
            "own request"),
        Arguments.of(
            "cancel: the requester", "cancel", ALICE, PROD, true, "cancel their own request"),
        Arguments.of(
            "cancel: same email under another issuer",
            "cancel",
            ALICE_ELSEWHERE,
            PROD,
            false,
            "only the requester"),
        Arguments.of("cancel: an approver", "cancel", LEAD, PROD, false, "only the requester"),
        Arguments.of("cancel: an admin", "cancel", ADMIN, PROD, false, "only the requester"),
        Arguments.of("revoke: the requester", "revoke", ALICE, PROD, true, "their own grant"),
        Arguments.of(
            "revoke: an approver", "revoke", LEAD, PROD, true, "an approver of profile 'prod'"),
        Arguments.of("revoke: an admin", "revoke", ADMIN, PROD, true, "an admin"),
        Arguments.of(
            "revoke: an auditor", "revoke", AUDITOR, PROD, false, "you may not revoke this grant"),
        Arguments.of("revoke: anyone else", "revoke", STRANGER, PROD, false, "may not revoke"),
        Arguments.of(
            "revoke: a lead sharing the requester's email, no admin",
            "revoke",
            ALICE_ELSEWHERE_LEAD,
            PROD,
            false,
            "may not revoke"),
        Arguments.of(
            "revoke: the requester, profile gone", "revoke", ALICE, GONE, true, "their own grant"),
        Arguments.of("revoke: an admin, profile gone", "revoke", ADMIN, GONE, true, "an admin"),
        Arguments.of(
            "revoke: an approver, profile gone", "revoke", LEAD, GONE, false, "may not revoke"),
        Arguments.of("review: an approver", "review", LEAD, PROD, true, "may review"),
        Arguments.of("review: an admin", "review", ADMIN, PROD, true, "an admin"),
        Arguments.of(
            "review: a lead sharing the requester's email, no admin",
            "review",
            ALICE_ELSEWHERE_LEAD,
            PROD,
            false,
            "review"),
        Arguments.of(
            "review: own use, though a lead",
            "review",
            ALICE_LEAD,
            PROD,
            false,
            "your own break-glass use"),
        Arguments.of(
            "review: own use by email, though an admin",
            "review",
            ALICE_ELSEWHERE,
            PROD,
            false,
            "your own break-glass use"),
        Arguments.of(
            "review: an auditor",
            "review",
            AUDITOR,
            PROD,
            false,
            "you may not review grants for prod"),
        Arguments.of("extend: the holder", "extend", ALICE, PROD, true, "the holder may ask"),
        Arguments.of("extend: an approver", "extend", LEAD, PROD, false, "only the grant's holder"),
        Arguments.of(
            "extend: same email under another issuer",
            "extend",
            ALICE_ELSEWHERE,
            PROD,
            false,
            "only the grant's holder"),
        Arguments.of(
            "extend: no extension rule",
            "extend",
            ALICE,
            shortOne,
            false,
            "profile 'short' does not allow extensions"),
        Arguments.of(
            "extend: profile gone", "extend", ALICE, GONE, false, "does not allow extensions"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answers(
      String name, String action, Principal p, FiledRequest r, boolean allowed, String reason) {
    RequestRights may = evaluator.rights(p, r, NOON);
    Decision d =
        switch (action) {
          case "see" -> may.maySee();
          case "approve" -> may.mayApprove();
          case "deny" -> may.mayDeny();
          case "cancel" -> may.mayCancel();
          case "revoke" -> may.mayRevoke();
          case "review" -> may.mayReview();
          case "extend" -> may.mayExtend();
          default -> throw new IllegalArgumentException(action);
        };
    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
    assertThat(d.reason()).contains(reason);
  }

  @Test
  void onlyIssuerAndSubjectMakeTheRequesterWhileAnEmailOnlyMightBe() {
    assertThat(evaluator.rights(ALICE_LEAD, PROD, NOON).isRequester()).isTrue();
    assertThat(evaluator.rights(ALICE_ELSEWHERE, PROD, NOON).isRequester()).isFalse();
    assertThat(evaluator.rights(ALICE_ELSEWHERE, PROD, NOON).mightBeRequester()).isTrue();
    assertThat(evaluator.rights(LEAD, PROD, NOON).mightBeRequester()).isFalse();
    FiledRequest noEmail =
        new FiledRequest(
            new Person("https://login.example.com", "x", Optional.empty()),
            "prod",
            PROD.facts(),
            NOON);
    assertThat(evaluator.rights(LEAD, noEmail, NOON).mightBeRequester()).isFalse();
  }

  @Test
  void onlyAuditorsReadTheAudit() {
    assertThat(evaluator.mayReadAudit(AUDITOR, NOON))
        .isEqualTo(Decision.allow("among the auditors"));
    Decision admin = evaluator.mayReadAudit(ADMIN, NOON);
    assertThat(admin.allowed()).isFalse();
    assertThat(admin.reason()).isEqualTo("reading the audit needs the auditor role");
    assertThat(
            new PolicyEvaluator(PolicyFixtures.load("profiles: {}\n"))
                .mayReadAudit(AUDITOR, NOON)
                .allowed())
        .isFalse();
  }
}
