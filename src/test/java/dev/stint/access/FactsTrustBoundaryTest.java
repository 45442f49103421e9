package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.error.StintException;
import dev.stint.facts.FactGatherer;
import dev.stint.facts.FactSource;
import dev.stint.facts.OnCallDirectory;
import dev.stint.facts.Ticket;
import dev.stint.facts.TicketTracker;
import dev.stint.identity.Principal;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestIdp;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review of branch facts: proofs of findings, each test asserting the vulnerable behaviour
 * (so it PASSES while the weakness is there). The fact source is wired exactly as
 * app/FactsWiring.source() wires it: the real FactGatherer over the token's email, with scripted
 * PagerDuty/Jira answers.
 */
/**
 * The security review's findings on facts, each a test of its fix: an email the identity provider
 * did not verify (or that only folds to another) matches no one on call, whatever its issuer; a
 * ticket's unknown fields match nothing; a lookup that fails ends no grant; and a caller the
 * requesters rule refuses anyway makes no lookup. Wired as FactsWiring wires the real providers.
 */
class FactsTrustBoundaryTest {
  static AccessRig rig;
  static AccessUseCases access;
  static final TestIdp PARTNER = new TestIdp("partner");
  static volatile boolean pagerDutyDown;

  /** PagerDuty: una@example.com is on call in PSRE01 and PREQ01. */
  static final OnCallDirectory PAGERDUTY =
      schedule ->
          pagerDutyDown
              ? Future.failedFuture(new RuntimeException("PagerDuty answered 503"))
              : Future.succeededFuture(Set.of("una@example.com", "karl@example.com"));

  /** Jira: every OPS ticket is open and assigned to una@example.com. */
  static final java.util.concurrent.atomic.AtomicInteger JIRA_CALLS =
      new java.util.concurrent.atomic.AtomicInteger();

  static final TicketTracker JIRA =
      key ->
          JIRA_CALLS.incrementAndGet() < 0
              ? null
              : key.equals("OPS-404")
                  ? Future.succeededFuture(Optional.empty())
                  : Future.succeededFuture(
                      Optional.of(
                          new Ticket(
                              key,
                              "In Progress",
                              "indeterminate",
                              Optional.of("una@example.com"),
                              "OPS")));

  static String policy(TestIdp idp) {
    String aws =
        "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n";
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + PARTNER.issuerYaml("partner")
        + "profiles:\n"
        + "  incident:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval:\n"
        + "      count: 1\n"
        + "      approvers: 'oncall(\"PSRE01\")'\n"
        // the example of docs/policies.md, "Facts"
        + "      auto_approve: >-\n"
        + "        oncall(\"PREQ01\") && ticket.exists && ticket.status_category != \"done\"\n"
        + "        && ticket.assignee_email == principal.email\n"
        + "  ticket-approver:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        // "the ticket's assignee approves"
        + "    approval: {count: 1, approvers: 'ticket.assignee_email == principal.email'}\n"
        + "  sre-only:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "    approval:\n"
        + "      count: 1\n"
        + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "      auto_approve: 'ticket.exists && ticket.project == \"OPS\"'\n"
        + "  oncall-grant:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        // the example of docs/policies.md, "end_when"
        + "    end_when: '!oncall(\"PPLAT01\")'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n";
  }

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    rig = new AccessRig(policyDir, FactsTrustBoundaryTest::policy);
    FactGatherer gatherer = new FactGatherer(Optional.of(PAGERDUTY), Optional.of(JIRA));
    // as FactsWiring.source()
    FactSource source = gatherer::gather;
    access = rig.replica(source).access();
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
    PARTNER.close();
  }

  static NewRequest asked(String profile, Optional<String> ticket) {
    return new NewRequest(
        profile, Duration.ofMinutes(30), "INC-1 review", ticket, Optional.empty(), false);
  }

  /** A caller of the second trusted issuer whose token claims someone else's, unverified, email. */
  static Caller partner(String subject, String email, String... groups) {
    return partner(subject, Optional.of(email), false, groups);
  }

  static Caller partner(String subject, Optional<String> email, String... groups) {
    return partner(subject, email, false, groups);
  }

  static Caller partner(
      String subject, Optional<String> email, boolean verified, String... groups) {
    Principal p =
        new Principal(
            "partner",
            PARTNER.issuer(),
            subject,
            email,
            List.of(groups),
            email
                .<Map<String, Object>>map(e -> Map.of("email", e, "email_verified", verified))
                .orElse(Map.of()),
            AccessRig.T0.plus(Duration.ofDays(9)),
            Optional.empty());
    return new Caller(p, Optional.of("127.0.0.1"), Optional.of("test"));
  }

  /**
   * WAS: oncall() trusts the token's email whatever its issuer and email_verified: mallory asks
   * (corp), then approves her own request as "una" through the partner issuer.
   */
  @Test
  void anotherIssuersUnverifiedEmailMakesTheRequesterAnOnCallApproverOfHerOwnRequest()
      throws Exception {
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("mallory", "eng"), asked("incident", Optional.empty())));
    assertThat(r.state()).isEqualTo(RequestState.PENDING);

    assertThat(
            AuditTables.failure(
                access
                    .decisions()
                    .decide(
                        partner("mallory-alt", "una@example.com"),
                        r.id(),
                        Action.APPROVE,
                        Optional.empty())))
        .as("a second identity claiming the on-call engineer's unverified email")
        .isInstanceOf(StintException.class);
    assertThat(
            AuditTables.await(access.requests().get(rig.caller("mallory", "eng"), r.id())).state())
        .isEqualTo(RequestState.PENDING);
  }

  /** WAS: the same claim auto-approves a request outright (docs' auto_approve example). */
  @Test
  void anotherIssuersUnverifiedEmailIsAutoApproved() throws Exception {
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(
                    partner("mallory-alt2", "una@example.com"),
                    asked("incident", Optional.of("OPS-1"))));
    assertThat(r.state()).isEqualTo(RequestState.PENDING);
  }

  /**
   * WAS: toLowerCase(Locale.ROOT) folds U+212A KELVIN SIGN to 'k': a token email that is a
   * different address ("\u212Aarl@example.com") counts as karl@example.com being on call.
   */
  @Test
  void aKelvinSignInTheEmailMatchesAnotherPersonsPagerDutyUser() throws Exception {
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("mallory2", "eng"), asked("incident", Optional.empty())));
    assertThat(
            AuditTables.failure(
                access
                    .decisions()
                    .decide(
                        partner("k-alt", Optional.of("\u212Aarl@example.com"), true),
                        r.id(),
                        Action.APPROVE,
                        Optional.empty())))
        .as("a verified address that only folds to karl@example.com")
        .isInstanceOf(StintException.class);
  }

  /**
   * WAS: with the documented end_when '!oncall("PPLAT01")' a PagerDuty outage (or 429, or timeout)
   * revokes every live grant of the profile: the failed fact is false, !false is true.
   */
  @Test
  void aPagerDutyOutageEndsEveryGrantUnderTheDocumentedEndWhen() throws Exception {
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("una", "eng"), asked("oncall-grant", Optional.empty())));
    AuditTables.await(
        access
            .decisions()
            .decide(rig.caller("cy", "sre"), r.id(), Action.APPROVE, Optional.empty()));
    Duration recheck = Duration.ofMinutes(1);
    rig.clock.advance(Duration.ofSeconds(61));
    assertThat(AuditTables.await(access.sweeps().recheckEnds(recheck)))
        .as("una is on call")
        .isZero();
    pagerDutyDown = true;
    try {
      rig.clock.advance(Duration.ofSeconds(61));
      assertThat(AuditTables.await(access.sweeps().recheckEnds(recheck)))
          .as("an outage decides nothing")
          .isZero();
    } finally {
      pagerDutyDown = false;
    }
  }

  /**
   * WAS: fail-open sentinel. A principal without an email is "" in CEL, and a ticket that does not
   * exist, is unassigned, hides its assignee's email or could not be looked up has assignee_email
   * "": 'ticket.assignee_email == principal.email' holds for anyone without an email.
   */
  @Test
  void anEmaillessPrincipalIsTheAssigneeOfEveryUnassignedOrMissingTicket() throws Exception {
    for (Optional<String> ticket : List.of(Optional.<String>empty(), Optional.of("OPS-404"))) {
      AccessRequest r =
          AuditTables.await(
              access
                  .requests()
                  .create(rig.caller("mallory3", "eng"), asked("ticket-approver", ticket)));
      assertThat(
              AuditTables.failure(
                  access
                      .decisions()
                      .decide(
                          partner("no-email-" + ticket.orElse("none"), Optional.empty()),
                          r.id(),
                          Action.APPROVE,
                          Optional.empty())))
          .as("ticket " + ticket)
          .isInstanceOf(StintException.class);
    }
  }

  /**
   * WAS: facts are looked up before the requester check: anyone with a token of any trusted issuer,
   * refused by 'requesters', still makes stint call Jira once per ticket key they invent (each new
   * key misses the cache), which spends stint's Jira rate limit; a 429 then pauses every ticket
   * lookup for everyone (LookupCache.throttledUntil, up to 15 min).
   */
  @Test
  void aCallerWhoMayNotRequestStillDrivesOneJiraCallPerInventedKey() throws Exception {
    int before = JIRA_CALLS.get();
    for (int i = 0; i < 20; i++) {
      AuditTables.failure(
          access
              .requests()
              .create(
                  partner("outsider", "outsider@evil.example"),
                  asked("sre-only", Optional.of("OPS-" + (100000 + i)))));
    }
    assertThat(JIRA_CALLS.get() - before).isZero();
  }
}
