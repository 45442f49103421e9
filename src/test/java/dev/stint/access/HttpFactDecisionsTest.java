package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.facts.FactGatherer;
import dev.stint.facts.HttpFacts;
import dev.stint.facts.LookupSettings;
import dev.stint.identity.Principal;
import dev.stint.standin.HttpFactStandIn;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestIdp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decisions on the server's own facts, through the real gatherer and HTTP provider to a loopback
 * provider: a true fact approves at once and is recorded; an outage, a slow answer or a provider
 * that is not configured leaves the request waiting with the error in its event; a refusal names
 * the fact and not the provider's words; a vote counts on a fact asked about the voter and the
 * request; end_when ends a grant on an answer, never on an outage.
 */
class HttpFactDecisionsTest {
  static final String TOKEN = "decisions-provider-token-0123";
  static AccessRig rig;
  static AccessUseCases access;
  static HttpFactStandIn provider;
  static Vertx vertx;

  static String policy(TestIdp idp) {
    String aws =
        "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n";
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  change:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'fact(\"employee\")'\n"
        + "    approval:\n"
        + "      count: 1\n"
        + "      approvers: 'fact(\"team\", \"payments\")'\n"
        + "      auto_approve: 'fact(\"change_open\")'\n"
        + "  auto:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true', auto_approve: 'fact(\"change_open\")'}\n"
        + "  unconfigured:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true', auto_approve: 'fact(\"nowhere\")'}\n"
        + "  ends:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    end_when: '!fact(\"change_open\")'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n";
  }

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    provider = new HttpFactStandIn(TOKEN);
    vertx = Vertx.vertx();
    rig = new AccessRig(policyDir, HttpFactDecisionsTest::policy);
    LookupSettings settings = new LookupSettings(Duration.ofSeconds(1), Duration.ZERO, rig.clock);
    WebClient web = WebClient.create(vertx);
    // as FactsWiring wires it, without PagerDuty or Jira
    FactGatherer gatherer =
        new FactGatherer(
            Optional.empty(),
            Optional.empty(),
            Map.of(
                "employee", new HttpFacts(web, "employee", provider.uri(), TOKEN, settings),
                "team", new HttpFacts(web, "team", provider.uri(), TOKEN, settings),
                "change_open", new HttpFacts(web, "change_open", provider.uri(), TOKEN, settings)));
    access = rig.replica(gatherer::gather).access();
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
    provider.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  @BeforeEach
  void reset() {
    provider.answerAsSet();
    provider.delay(Duration.ZERO);
    provider.answer("employee", true);
    provider.answer("change_open", false);
    provider.answer("team", "payments", false);
  }

  static NewRequest asked(String profile) {
    return new NewRequest(
        profile,
        Duration.ofMinutes(30),
        "CHG-7 rollout",
        Optional.of("CHG-7"),
        Optional.empty(),
        false);
  }

  @Test
  void aTrueFactApprovesAtOnceAndIsRecorded() throws Exception {
    provider.answer("change_open", true);
    AccessRequest r =
        AuditTables.await(access.requests().create(rig.caller("ana", "eng"), asked("change")));
    assertThat(r.state()).isEqualTo(RequestState.APPROVED);
    assertThat(FactEvents.facts(rig.url, r.id(), "request.approved"))
        .extracting(f -> f.getString("name"), f -> f.getValue("value"), f -> f.getString("source"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("fact(change_open)", true, "http:change_open"),
            org.assertj.core.groups.Tuple.tuple("fact(employee)", true, "http:employee"));
  }

  /** The done-when of the issue: an outage leaves the request pending, the error recorded. */
  @Test
  void anOutageLeavesTheRequestPendingWithTheErrorInItsEvent() throws Exception {
    provider.answer("change_open", true);
    provider.answerInstead(503, "{\"error\":\"maintenance\"}");
    Throwable refused =
        AuditTables.failure(access.requests().create(rig.caller("ben", "eng"), asked("change")));
    assertThat(refused)
        .as("employee is unknown too: the requesters rule refuses, naming the fact")
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
              assertThat(e.detail())
                  .contains("facts: fact(employee) unknown")
                  .doesNotContain("503")
                  .doesNotContain("127.0.0.1");
            });
    assertThat(FactEvents.refusalFacts(rig.url, "ben"))
        .extracting(f -> f.getString("name"), f -> f.getString("error"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "fact(change_open)", "facts.http.change_open answered 503"),
            org.assertj.core.groups.Tuple.tuple(
                "fact(employee)", "facts.http.employee answered 503"));

    // a provider slower than the timeout: the request is made, and waits for approvers
    provider.answerAsSet();
    provider.delay(Duration.ofMillis(1500));
    AccessRequest r =
        AuditTables.await(access.requests().create(rig.caller("ben", "eng"), asked("auto")));
    assertThat(r.state()).isEqualTo(RequestState.PENDING);
    assertThat(FactEvents.facts(rig.url, r.id(), "request.created"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getBoolean("value")).isFalse();
              assertThat(f.getString("error"))
                  .isEqualTo("facts.http.change_open did not answer within 1000 ms");
            });
  }

  @Test
  void aProviderThatIsNotConfiguredApprovesNothing() throws Exception {
    AccessRequest r =
        AuditTables.await(
            access.requests().create(rig.caller("cleo", "eng"), asked("unconfigured")));
    assertThat(r.state()).isEqualTo(RequestState.PENDING);
    assertThat(FactEvents.facts(rig.url, r.id(), "request.created"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getString("source")).isEqualTo("http:nowhere");
              assertThat(f.getString("error")).isEqualTo("facts.http.nowhere is not configured");
            });
  }

  @Test
  void aVoteCountsOnAFactAskedAboutTheVoterAndTheRequest() throws Exception {
    AccessRequest r =
        AuditTables.await(access.requests().create(rig.caller("dan", "eng"), asked("change")));
    assertThat(r.state()).isEqualTo(RequestState.PENDING);
    assertThat(
            AuditTables.failure(
                access
                    .decisions()
                    .decide(rig.caller("eve", "eng"), r.id(), Action.APPROVE, Optional.empty())))
        .as("the provider says eve is not of the payments team")
        .isInstanceOf(StintException.class);

    provider.answer("team", "payments", true);
    assertThat(access.requests().rights(rig.caller("eve", "eng"), r).mayApprove().allowed())
        .as("as last looked up, for the refused vote: false")
        .isFalse();
    assertThat(AuditTables.await(access.requests().get(rig.caller("eve", "eng"), r.id())).id())
        .isEqualTo(r.id());
    assertThat(access.requests().rights(rig.caller("eve", "eng"), r).mayApprove().allowed())
        .as("the page's buttons follow the answer looked up to show it")
        .isTrue();
    assertThat(access.requests().rights(rig.caller("eve", "eng"), other(r)).mayApprove().allowed())
        .as("an answer about one request is not another's")
        .isFalse();
    AccessRequest approved =
        AuditTables.await(
            access
                .decisions()
                .decide(rig.caller("eve", "eng"), r.id(), Action.APPROVE, Optional.empty()));
    assertThat(approved.state()).isEqualTo(RequestState.APPROVED);
    JsonObject asked =
        provider.received().stream()
            .filter(q -> "team".equals(q.getString("fact")))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(asked.getString("argument")).isEqualTo("payments");
    assertThat(asked.getJsonObject("principal").getString("subject")).isEqualTo("eve");
    assertThat(asked.getJsonObject("request").getString("id")).isEqualTo(r.id());
    assertThat(asked.getJsonObject("request").getString("ticket")).isEqualTo("CHG-7");
    assertThat(FactEvents.facts(rig.url, r.id(), "request.approved"))
        .extracting(f -> f.getString("name"), f -> f.getString("argument"))
        .contains(org.assertj.core.groups.Tuple.tuple("fact(team, payments)", "payments"));
  }

  /** Another pending request of the same profile and ticket. */
  static AccessRequest other(AccessRequest r) throws Exception {
    AccessRequest o =
        AuditTables.await(access.requests().create(rig.caller("hal", "eng"), asked("change")));
    assertThat(o.id()).isNotEqualTo(r.id());
    return o;
  }

  @Test
  void endWhenEndsAGrantOnAnAnswerAndNeverOnAnOutage() throws Exception {
    provider.answer("change_open", true);
    AccessRequest r =
        AuditTables.await(access.requests().create(rig.caller("fay", "eng"), asked("ends")));
    AuditTables.await(
        access
            .decisions()
            .decide(rig.caller("gus", "sre"), r.id(), Action.APPROVE, Optional.empty()));
    Duration recheck = Duration.ofMinutes(1);
    rig.clock.advance(Duration.ofSeconds(61));
    assertThat(AuditTables.await(access.sweeps().recheckEnds(recheck)))
        .as("the change is open")
        .isZero();

    provider.answer("change_open", false);
    provider.answerInstead(500, "{}");
    rig.clock.advance(Duration.ofSeconds(61));
    assertThat(AuditTables.await(access.sweeps().recheckEnds(recheck)))
        .as("an outage decides nothing, though !false is true")
        .isZero();

    provider.answerAsSet();
    rig.clock.advance(Duration.ofSeconds(61));
    assertThat(AuditTables.await(access.sweeps().recheckEnds(recheck))).isEqualTo(1);
    JsonObject asked =
        provider.received().stream()
            .filter(q -> "change_open".equals(q.getString("fact")))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(asked.getJsonObject("principal").getString("subject")).isEqualTo("fay");
    assertThat(asked.getJsonObject("principal").getString("email")).isEqualTo("fay@example.com");
    assertThat(asked.getJsonObject("principal").getValue("groups"))
        .as("no token at hand: the groups are unknown, not empty")
        .isNull();
    assertThat(FactEvents.facts(rig.url, r.id(), "grant.revoked"))
        .singleElement()
        .satisfies(f -> assertThat(f.getString("name")).isEqualTo("fact(change_open)"));
  }

  /**
   * The security review's M3: a holder whose email their identity provider did not verify is asked
   * about without it, as when they filed, so no one else's address keeps a grant alive.
   */
  @Test
  void endWhenAsksAboutAHolderWithoutAnEmailTheirIssuerDidNotVerify() throws Exception {
    provider.answer("change_open", true);
    Caller unverified =
        new Caller(
            new Principal(
                "corp",
                rig.idp.issuer(),
                "ivo",
                Optional.of("ceo@example.com"),
                List.of("eng"),
                Map.of("email", "ceo@example.com", "email_verified", false),
                AccessRig.T0.plus(Duration.ofDays(9)),
                Optional.empty()),
            Optional.of("127.0.0.1"),
            Optional.of("test"));
    AccessRequest r = AuditTables.await(access.requests().create(unverified, asked("ends")));
    AuditTables.await(
        access
            .decisions()
            .decide(rig.caller("gus", "sre"), r.id(), Action.APPROVE, Optional.empty()));
    rig.clock.advance(Duration.ofSeconds(61));
    AuditTables.await(access.sweeps().recheckEnds(Duration.ofMinutes(1)));
    JsonObject asked =
        provider.received().stream()
            .filter(q -> "ivo".equals(q.getJsonObject("principal").getString("subject")))
            .findFirst()
            .orElseThrow();
    assertThat(asked.getJsonObject("principal").getValue("email")).isNull();
  }
}
