package dev.stint.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.AccessUseCases;
import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.NewRequest;
import dev.stint.access.RequestListener;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.directory.Deprovisioning;
import dev.stint.extension.Extension;
import dev.stint.extension.ExtensionService;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.outbox.DurableListener;
import dev.stint.outbox.Outbox;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.PolicyLoader;
import dev.stint.testing.AuditTables;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leaving ends what a person decided but did not finish deciding: their approvals of other people's
 * requests and extensions that still wait stop counting, and their own pending extensions end with
 * their grants, through the port as the server wires it ({@link DirectoryWiring#deprovisioning}),
 * on a real database. What their votes already decided stands.
 */
class DeprovisioningVotesTest {
  static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
  static final Vertx VERTX = Vertx.vertx();
  static final MutableClock CLOCK = new MutableClock(T0);
  static TestIdp idp;
  static DatabaseUrl url;
  static Database db;
  static AccessUseCases access;
  static ExtensionService extensions;
  static Deprovisioning deprovisioning;

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    idp = new TestIdp("corp");
    String sre = "'principal.groups.exists(g, g == \"sre\")'";
    String aws =
        "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n";
    Files.writeString(
        policyDir.resolve("p.yaml"),
        "issuers:\n"
            + idp.issuerYaml("corp")
            + "profiles:\n"
            + "  pair:\n"
            + aws
            + "    max_duration: 1h\n"
            + "    requesters: 'true'\n"
            + "    approval: {count: 2, approvers: "
            + sre
            + "}\n"
            + "    extension: {max_total: 4h, approval: required}\n"
            + "  staged:\n"
            + aws
            + "    max_duration: 1h\n"
            + "    requesters: 'true'\n"
            + "    approval:\n"
            + "      stages:\n"
            + "        - {name: lead, count: 1, approvers: "
            + sre
            + "}\n"
            + "        - {name: security, count: 2, approvers: "
            + sre
            + "}\n");
    url = TestPostgres.migratedDatabase();
    db = Database.connect(VERTX, url, 4);
    GroupCommitAuditLog audit =
        new GroupCommitAuditLog(
            VERTX,
            Database.connect(VERTX, url, 2).pool(),
            CLOCK,
            new StintConfig.AuditConfig(Patience.AUDIT_COMMIT, 64));
    Outbox<RequestListener.Change> outbox = new Outbox<>(db.pool());
    outbox.register(new Watch());
    PolicyInForce policies = new PolicyInForce(new PolicyLoader().load(policyDir));
    access =
        new AccessUseCases(
            new AccessUseCases.Footing(db.pool(), db.pipelined(), outbox), policies, audit, CLOCK);
    extensions = new ExtensionService(db.pool(), outbox, policies, audit, CLOCK);
    deprovisioning = DirectoryWiring.deprovisioning(access.leavers(), extensions.leavers());
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
    VERTX.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    idp.close();
  }

  static Caller caller(String user) {
    Principal p =
        new Principal(
            "corp",
            idp.issuer(),
            user,
            Optional.of(user + "@example.com"),
            List.of("sre"),
            Map.of("email", user + "@example.com", "email_verified", true),
            T0.plus(Duration.ofDays(9)),
            Optional.empty());
    return new Caller(p, Optional.of("127.0.0.1"), Optional.of("test"));
  }

  static AccessRequest request(String user, String profile) throws Exception {
    return AuditTables.await(
        access
            .requests()
            .create(
                caller(user),
                new NewRequest(
                    profile,
                    Duration.ofMinutes(30),
                    "INC-41",
                    Optional.empty(),
                    Optional.empty(),
                    false)));
  }

  static AccessRequest approve(String approver, AccessRequest r) throws Exception {
    return AuditTables.await(
        access.decisions().decide(caller(approver), r.id(), Action.APPROVE, Optional.of("ok")));
  }

  static AccessRequest now(AccessRequest r) throws Exception {
    return AuditTables.await(access.requests().get(caller("zed"), r.id()));
  }

  static Extension extend(String holder, AccessRequest r) throws Exception {
    return AuditTables.await(
            extensions.extensions().extend(caller(holder), r.id(), Duration.ofMinutes(30), "more"))
        .extension();
  }

  static Extension approveExtension(String approver, Extension e) throws Exception {
    return AuditTables.await(
            extensions
                .extensions()
                .decide(caller(approver), e.id(), Action.APPROVE, Optional.empty()))
        .extension();
  }

  static Extension extensionNow(Extension e) throws Exception {
    return AuditTables.await(extensions.extensions().ofRequest(caller("zed"), now(e.requestId())))
        .stream()
        .filter(x -> x.id().equals(e.id()))
        .findFirst()
        .orElseThrow();
  }

  static AccessRequest now(String requestId) throws Exception {
    return AuditTables.await(access.requests().get(caller("zed"), requestId));
  }

  /** Ends what {@code subject} holds as a deprovisioning's own transaction does. */
  static Deprovisioning.Ended leave(String subject) throws Exception {
    Deprovisioning.Leaver leaver =
        new Deprovisioning.Leaver(
            new Person(idp.issuer(), subject, Optional.empty()),
            "user-of-" + subject,
            CLOCK.instant(),
            Optional.empty());
    CLOCK.advance(Duration.ofSeconds(1));
    Deprovisioning.Ended ended =
        AuditTables.await(db.pool().withTransaction(conn -> deprovisioning.end(conn, leaver)));
    ended.afterCommit().run();
    return ended;
  }

  /** Each {@code approval.withdrawn} on {@code requestId}: actor, approver, extension, details. */
  static List<String> withdrawn(String requestId) throws Exception {
    return AuditTables.strings(
        url,
        "SELECT actor_subject || ' ' || (details->>'approver_subject') || ' '"
            + " || coalesce(details->>'extension_id', '-') || ' ' || (details->>'by')"
            + " || ' ' || (details->>'approvals') FROM audit_events"
            + " WHERE type = 'approval.withdrawn' AND request_id = '"
            + requestId
            + "' ORDER BY seq");
  }

  /** The outbox rows of {@code requestId} for the watching listener: event and actor. */
  static List<String> outboxed(String requestId) throws Exception {
    return AuditTables.strings(
        url,
        "SELECT event || ' ' || actor_subject FROM outbox WHERE listener = 'test-watch'"
            + " AND request_id = '"
            + requestId
            + "' ORDER BY id");
  }

  /** Stands for Slack's messages: it wants what the leaving changes on others' requests. */
  static final class Watch implements DurableListener<RequestListener.Change> {
    @Override
    public String name() {
      return "test-watch";
    }

    @Override
    public boolean wants(RequestListener.Change change) {
      return change.event().equals("approval.withdrawn")
          || change.event().equals("grant.extension_expired");
    }

    @Override
    public Future<Void> deliver(RequestListener.Change change, Delivery delivery) {
      return Future.succeededFuture();
    }
  }

  @Test
  void aLeaversVoteOnAPendingRequestStopsCountingAndOnADecidedOneStands() throws Exception {
    AccessRequest waiting = approve("olive", request("pete", "pair"));
    AccessRequest decided = approve("sam", approve("olive", request("pete", "pair")));
    assertThat(waiting.votes()).hasSize(1);
    assertThat(decided.state()).isEqualTo(RequestState.APPROVED);

    Deprovisioning.Ended ended = leave("olive");

    assertThat(ended.votesWithdrawn()).isEqualTo(1);
    assertThat(now(waiting).state()).isEqualTo(RequestState.PENDING);
    assertThat(now(waiting).votes()).isEmpty();
    assertThat(withdrawn(waiting.id())).containsExactly("system olive - directory 0");
    // It needs two approvals again, from people still here.
    assertThat(approve("sam", waiting).state()).isEqualTo(RequestState.PENDING);
    assertThat(approve("tara", waiting).state()).isEqualTo(RequestState.APPROVED);
    assertThat(now(decided).state()).isEqualTo(RequestState.APPROVED);
    assertThat(now(decided).votes()).hasSize(2);
    assertThat(withdrawn(decided.id())).isEmpty();
    // The Slack message learns of it as of any vote: through the outbox, in the same commit.
    assertThat(outboxed(waiting.id())).containsExactly("approval.withdrawn system");
  }

  @Test
  void inStagesOnlyAVoteInTheOpenStageIsWithdrawn() throws Exception {
    // Olive's vote decided the lead stage of this one: security is open, and her vote stands.
    AccessRequest leadDecided = approve("olga", request("pia", "staged"));
    // Here she voted in the open security stage, one of the two it needs.
    AccessRequest inSecurity = approve("olga", approve("sam", request("pia", "staged")));
    assertThat(inSecurity.votes()).hasSize(2);

    Deprovisioning.Ended ended = leave("olga");

    assertThat(ended.votesWithdrawn()).isEqualTo(1);
    assertThat(now(leadDecided).votes()).extracting(v -> v.approver().subject()).contains("olga");
    assertThat(now(inSecurity).state()).isEqualTo(RequestState.PENDING);
    assertThat(now(inSecurity).votes()).extracting(v -> v.approver().subject()).contains("sam");
    assertThat(now(inSecurity).votes()).hasSize(1);
    assertThat(withdrawn(inSecurity.id())).containsExactly("system olga - directory 1");
    assertThat(withdrawn(leadDecided.id())).isEmpty();
    assertThat(
            AuditTables.strings(
                url,
                "SELECT details->>'stage' FROM audit_events WHERE type = 'approval.withdrawn'"
                    + " AND request_id = '"
                    + inSecurity.id()
                    + "'"))
        .containsExactly("security");
  }

  @Test
  void aLeaversPendingExtensionEndsWithTheirGrant() throws Exception {
    AccessRequest granted = approve("tara", approve("sam", request("erin", "pair")));
    Extension pending = extend("erin", granted);

    Deprovisioning.Ended ended = leave("erin");

    assertThat(ended.grantsRevoked()).isEqualTo(1);
    assertThat(ended.extensionsEnded()).isEqualTo(1);
    assertThat(extensionNow(pending).state()).isEqualTo(Extension.State.EXPIRED);
    assertThat(
            AuditTables.strings(
                url,
                "SELECT actor_subject || ' ' || (details->>'extension_id') || ' '"
                    + " || (details->>'by') FROM audit_events"
                    + " WHERE type = 'grant.extension_expired' AND request_id = '"
                    + granted.id()
                    + "'"))
        .containsExactly("system " + pending.id() + " directory");
    assertThat(outboxed(granted.id())).containsExactly("grant.extension_expired system");
  }

  @Test
  void aLeaversVoteOnAPendingExtensionIsWithdrawn() throws Exception {
    AccessRequest granted = approve("tara", approve("sam", request("fred", "pair")));
    Extension voted = approveExtension("vera", extend("fred", granted));
    assertThat(voted.votes()).hasSize(1);

    Deprovisioning.Ended ended = leave("vera");

    assertThat(ended.votesWithdrawn()).isEqualTo(1);
    Extension after = extensionNow(voted);
    assertThat(after.state()).isEqualTo(Extension.State.PENDING);
    assertThat(after.votes()).isEmpty();
    assertThat(withdrawn(granted.id()))
        .containsExactly("system vera " + voted.id() + " directory 0");
    assertThat(outboxed(granted.id())).containsExactly("approval.withdrawn system");
    // Two approvals again, from people still here.
    assertThat(approveExtension("sam", after).state()).isEqualTo(Extension.State.PENDING);
    assertThat(approveExtension("tara", after).state()).isEqualTo(Extension.State.APPROVED);
  }

  @Test
  void endingTwiceChangesNothingTheSecondTime() throws Exception {
    AccessRequest own = approve("tara", approve("sam", request("gus", "pair")));
    extend("gus", own);
    AccessRequest othersRequest = approve("gus", request("hal", "pair"));
    AccessRequest othersGrant = approve("tara", approve("sam", request("hal", "pair")));
    approveExtension("gus", extend("hal", othersGrant));

    Deprovisioning.Ended first = leave("gus");
    long events = AuditTables.count(url, "true");
    Deprovisioning.Ended second = leave("gus");

    assertThat(List.of(first.grantsRevoked(), first.votesWithdrawn(), first.extensionsEnded()))
        .containsExactly(1, 2, 1);
    assertThat(
            List.of(
                second.grantsRevoked(),
                second.requestsCancelled(),
                second.votesWithdrawn(),
                second.extensionsEnded()))
        .containsExactly(0, 0, 0, 0);
    assertThat(AuditTables.count(url, "true")).isEqualTo(events);
    assertThat(now(othersRequest).votes()).isEmpty();
  }
}
