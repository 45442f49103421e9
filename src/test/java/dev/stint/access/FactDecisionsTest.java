package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.extension.ExtensionService;
import dev.stint.extension.ExtensionStore;
import dev.stint.facts.FactSource;
import dev.stint.policy.FactContext;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.FactValues;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestIdp;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decisions on facts: who may request, what is approved at once and whose vote counts follow the
 * facts looked up for that decision (here from a scripted source: the providers have tests of their
 * own, against their stand-ins); a fact that cannot be looked up is false, and the request stays
 * pending; every decision that read facts records them, and a refusal on a fact names it.
 */
class FactDecisionsTest {
  static AccessRig rig;
  static AccessUseCases access;
  static ExtensionService extensions;
  static final Scripted FACTS = new Scripted();

  static String policy(TestIdp idp) {
    String aws =
        "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n";
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  oncall-only:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'oncall(\"PREQ01\")'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
        + "  incident:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval:\n"
        + "      count: 1\n"
        + "      approvers: 'oncall(\"PSRE01\")'\n"
        + "      auto_approve: 'oncall(\"PREQ01\") && ticket.exists"
        + " && ticket.status_category != \"done\"'\n"
        + "  ticketed:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    end_when: 'ticket.exists && ticket.status_category == \"done\"'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
        + "  extendable:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    extension: {max_total: 4h, approval: required}\n"
        + "    approval: {count: 1, approvers: 'oncall(\"PSRE01\")'}\n"
        + "  plain:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n";
  }

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    rig = new AccessRig(policyDir, FactDecisionsTest::policy);
    AccessRig.Replica replica = rig.replica(FACTS);
    access = replica.access();
    extensions =
        new ExtensionService(
            new ExtensionStore(replica.db().pool()),
            rig.policies,
            replica.audit(),
            rig.clock,
            access.voterFacts());
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  @BeforeEach
  void reset() {
    FACTS.onCall.clear();
    FACTS.failing = Optional.empty();
    FACTS.ticketCategory = Optional.of("indeterminate");
    FACTS.calls.set(0);
  }

  static NewRequest asked(String profile, Optional<String> ticket) {
    return new NewRequest(
        profile, Duration.ofMinutes(30), "INC-26 facts", ticket, Optional.empty(), false);
  }

  @Test
  void whoMayRequestFollowsWhoIsOnCallAndARefusalNamesTheFact() throws Exception {
    FACTS.onCall.put("PREQ01", Set.of("olga@example.com"));
    AccessRequest ok =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("olga", "eng"), asked("oncall-only", Optional.empty())));
    assertThat(ok.state()).isEqualTo(RequestState.PENDING);
    assertThat(facts(ok.id(), "request.created"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getString("name")).isEqualTo("oncall(PREQ01)");
              assertThat(f.getBoolean("value")).isTrue();
              assertThat(f.getString("source")).isEqualTo("scripted");
            });

    Throwable refused =
        AuditTables.failure(
            access
                .requests()
                .create(rig.caller("pete", "eng"), asked("oncall-only", Optional.empty())));
    assertThat(refused)
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
              assertThat(e.detail()).contains("facts: oncall(PREQ01) false");
            });
    assertThat(refusalFacts("pete")).extracting(f -> f.getBoolean("value")).containsExactly(false);
  }

  @Test
  void anOutageRefusesRequestsOnTheFactAndNamesTheError() throws Exception {
    FACTS.onCall.put("PREQ01", Set.of("quinn@example.com"));
    FACTS.failing = Optional.of("PagerDuty answered 503");
    Throwable refused =
        AuditTables.failure(
            access
                .requests()
                .create(rig.caller("quinn", "eng"), asked("oncall-only", Optional.empty())));
    assertThat(refused)
        .isInstanceOfSatisfying(
            StintException.class,
            e ->
                assertThat(e.detail()).contains("oncall(PREQ01) unknown (PagerDuty answered 503)"));
    assertThat(refusalFacts("quinn"))
        .singleElement()
        .satisfies(f -> assertThat(f.getString("error")).isEqualTo("PagerDuty answered 503"));
  }

  @Test
  void onCallWithAnOpenTicketIsApprovedAtOnce() throws Exception {
    FACTS.onCall.put("PREQ01", Set.of("rita@example.com"));
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("rita", "eng"), asked("incident", Optional.of("OPS-7"))));
    assertThat(r.state()).isEqualTo(RequestState.APPROVED);
    assertThat(facts(r.id(), "request.approved"))
        .extracting(f -> f.getString("name"))
        .containsExactly("oncall(PREQ01)", "ticket");

    FACTS.ticketCategory = Optional.of("done");
    AccessRequest closed =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("rita", "eng"), asked("incident", Optional.of("OPS-8"))));
    assertThat(closed.state())
        .as("a closed ticket approves nothing")
        .isEqualTo(RequestState.PENDING);
  }

  /** The done-when of the issue: a provider outage leaves requests pending, the error recorded. */
  @Test
  void anOutageLeavesTheRequestPendingWithTheErrorInItsEvent() throws Exception {
    FACTS.onCall.put("PREQ01", Set.of("sam@example.com"));
    FACTS.failing = Optional.of("PagerDuty did not answer within 2s");
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("sam", "eng"), asked("incident", Optional.of("OPS-9"))));
    assertThat(r.state()).isEqualTo(RequestState.PENDING);
    assertThat(facts(r.id(), "request.created"))
        .allSatisfy(
            f -> assertThat(f.getString("error")).isEqualTo("PagerDuty did not answer within 2s"));
  }

  @Test
  void aVoteCountsOnlyFromWhoeverIsOnCallAndRecordsTheFact() throws Exception {
    FACTS.onCall.put("PSRE01", Set.of("una@example.com"));
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("tom", "eng"), asked("incident", Optional.of("OPS-10"))));
    assertThat(r.state()).isEqualTo(RequestState.PENDING);

    Throwable refused =
        AuditTables.failure(
            access
                .decisions()
                .decide(rig.caller("vic", "sre"), r.id(), Action.APPROVE, Optional.empty()));
    assertThat(refused)
        .as("not on call, not an approver: the request is not even shown")
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(refusalFacts("vic"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getString("name")).isEqualTo("oncall(PSRE01)");
              assertThat(f.getBoolean("value")).isFalse();
            });

    AccessRequest approved =
        AuditTables.await(
            access
                .decisions()
                .decide(rig.caller("una", "eng"), r.id(), Action.APPROVE, Optional.empty()));
    assertThat(approved.state()).isEqualTo(RequestState.APPROVED);
    assertThat(facts(r.id(), "request.approved"))
        .extracting(f -> f.getString("name"), f -> f.getBoolean("value") != null)
        .contains(org.assertj.core.groups.Tuple.tuple("oncall(PSRE01)", true));
  }

  /** Whoever is on call finds the request they may approve, in the list and by its id. */
  @Test
  void theOnCallApproverSeesTheRequestAndOthersDoNot() throws Exception {
    FACTS.onCall.put("PSRE01", Set.of("yann@example.com"));
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("zoe", "eng"), asked("incident", Optional.of("OPS-12"))));
    Requests.Filter pending =
        new Requests.Filter(
            Set.of(RequestState.PENDING), Optional.empty(), Optional.empty(), false, 50);
    assertThat(AuditTables.await(access.requests().get(rig.caller("yann", "eng"), r.id())).id())
        .isEqualTo(r.id());
    assertThat(
            AuditTables.await(access.requests().page(rig.caller("yann", "eng"), pending))
                .requests())
        .extracting(AccessRequest::id)
        .contains(r.id());
    assertThat(access.requests().rights(rig.caller("yann", "eng"), r).mayApprove().allowed())
        .as("the buttons follow the facts looked up for the page")
        .isTrue();
    assertThat(AuditTables.failure(access.requests().get(rig.caller("amy", "sre"), r.id())))
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(
            AuditTables.await(access.requests().page(rig.caller("amy", "sre"), pending)).requests())
        .extracting(AccessRequest::id)
        .doesNotContain(r.id());
  }

  /** end_when: a grant ends when its ticket closes, rechecked once per interval, by stint. */
  @Test
  void aGrantEndsWhenItsTicketClosesAndNotBefore() throws Exception {
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("bea", "eng"), asked("ticketed", Optional.of("OPS-20"))));
    AuditTables.await(
        access
            .decisions()
            .decide(rig.caller("cy", "sre"), r.id(), Action.APPROVE, Optional.empty()));
    Duration recheck = Duration.ofMinutes(1);
    assertThat(AuditTables.await(access.sweeps().recheckEnds(recheck)))
        .as("ticket still open")
        .isZero();

    FACTS.ticketCategory = Optional.of("done");
    assertThat(AuditTables.await(access.sweeps().recheckEnds(recheck)))
        .as("checked less than a minute ago: not again yet")
        .isZero();
    FACTS.failing = Optional.of("Jira answered 503");
    rig.clock.advance(Duration.ofSeconds(61));
    assertThat(AuditTables.await(access.sweeps().recheckEnds(recheck)))
        .as("an outage ends nothing: the ticket is unknown, not closed")
        .isZero();
    FACTS.failing = Optional.empty();
    rig.clock.advance(Duration.ofSeconds(61));
    assertThat(AuditTables.await(access.sweeps().recheckEnds(recheck))).isEqualTo(1);

    AccessRequest ended =
        AuditTables.await(access.requests().get(rig.caller("bea", "eng"), r.id()));
    assertThat(ended.state()).isEqualTo(RequestState.REVOKED);
    assertThat(ended.grant().orElseThrow().revocation().orElseThrow().by()).isEqualTo(Act.SYSTEM);
    assertThat(facts(r.id(), "grant.revoked"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getString("name")).isEqualTo("ticket");
              assertThat(f.getJsonObject("value").getString("status_category")).isEqualTo("done");
            });
    assertThat(
            AuditTables.strings(
                rig.url,
                "SELECT actor_issuer || ' ' || (details->>'end_when') FROM audit_events"
                    + " WHERE type = 'grant.revoked' AND request_id = '"
                    + r.id()
                    + "'"))
        .containsExactly("stint ticket.exists && ticket.status_category == \"done\"");
    assertThat(AuditTables.await(access.sweeps().recheckEnds(recheck))).as("ended once").isZero();
  }

  /** An extension is decided by whoever is on call, as the request was. */
  @Test
  void theOnCallApproverDecidesAnExtensionToo() throws Exception {
    FACTS.onCall.put("PSRE01", Set.of("ivy@example.com"));
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("hal", "eng"), asked("extendable", Optional.empty())));
    AuditTables.await(
        access
            .decisions()
            .decide(rig.caller("ivy", "eng"), r.id(), Action.APPROVE, Optional.empty()));
    ExtensionService.Extended asked =
        AuditTables.await(
            extensions.extend(rig.caller("hal", "eng"), r.id(), Duration.ofMinutes(30), "INC-26"));
    String id = asked.extension().id();
    assertThat(
            AuditTables.failure(
                extensions.decide(rig.caller("jon", "sre"), id, Action.APPROVE, Optional.empty())))
        .as("not on call")
        .isInstanceOf(StintException.class);
    ExtensionService.Extended approved =
        AuditTables.await(
            extensions.decide(rig.caller("ivy", "eng"), id, Action.APPROVE, Optional.empty()));
    assertThat(approved.grantEndsAt()).isPresent();
  }

  @Test
  void aPolicyWithoutFactsLooksNothingUp() throws Exception {
    AccessRequest r =
        AuditTables.await(
            access
                .requests()
                .create(rig.caller("wes", "eng"), asked("plain", Optional.of("OPS-11"))));
    AuditTables.await(
        access
            .decisions()
            .decide(rig.caller("xena", "sre"), r.id(), Action.APPROVE, Optional.empty()));
    assertThat(FACTS.calls.get()).isZero();
    assertThat(facts(r.id(), "request.created")).isEmpty();
  }

  static List<JsonObject> facts(String requestId, String type) throws Exception {
    return FactEvents.facts(rig.url, requestId, type);
  }

  static List<JsonObject> refusalFacts(String subject) throws Exception {
    return FactEvents.refusalFacts(rig.url, subject);
  }

  /** On-call by schedule, one ticket category for every key, or every lookup failing. */
  static final class Scripted implements FactSource {
    final Map<String, Set<String>> onCall = new ConcurrentHashMap<>();
    volatile Optional<String> failing = Optional.empty();
    volatile Optional<String> ticketCategory = Optional.of("indeterminate");
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Future<FactValues> gather(FactNeeds needs, FactContext about) {
      Optional<String> ticket = about.ticket();
      calls.incrementAndGet();
      if (failing.isPresent()) {
        return Future.succeededFuture(FactValues.unavailable(needs, failing.get()));
      }
      Map<String, FactValues.Seen<Boolean>> seen = new TreeMap<>();
      for (String s : needs.schedules()) {
        boolean on = onCall.getOrDefault(s, Set.of()).contains(about.who().email().orElse(""));
        seen.put(s, FactValues.Seen.of(on, "scripted"));
      }
      Optional<FactValues.Seen<FactValues.TicketFact>> t =
          needs.ticket()
              ? Optional.of(
                  FactValues.Seen.of(
                      ticket
                          .map(
                              k ->
                                  new FactValues.TicketFact(
                                      true, k, "Status", ticketCategory.orElse("new"), "", "OPS"))
                          .orElse(FactValues.TicketFact.ABSENT),
                      "scripted"))
              : Optional.empty();
      return Future.succeededFuture(new FactValues(seen, t));
    }
  }
}
