package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.notify.Notification;
import dev.stint.notify.RequestNotifier;
import dev.stint.policy.PolicyLoader;
import dev.stint.policy.PolicyStore;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweeper reminds a grant's holder once, {@code expiry_reminder} before the end, and tells
 * them when it ended; two replicas never send a reminder twice; revoked grants get none.
 */
class ExpiryReminderTest {
  static Vertx vertx;
  static DatabaseUrl url;
  static final List<Database> pools = new ArrayList<>();
  static final SweeperTest.MovableClock clock = new SweeperTest.MovableClock();
  static final List<Notification> sent = Collections.synchronizedList(new ArrayList<>());
  static AccessService replicaA;
  static AccessService replicaB;
  static TestIdp idp;

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    vertx = Vertx.vertx();
    url = TestPostgres.migratedDatabase();
    idp = new TestIdp("corp");
    Files.writeString(policyDir.resolve("p.yaml"), TestPolicies.requests(idp));
    PolicyStore policies = new PolicyStore(new PolicyLoader().load(policyDir));
    replicaA = replica(policies);
    replicaB = replica(policies);
  }

  static AccessService replica(PolicyStore policies) {
    Database db = Database.connect(vertx, url, 4);
    Database auditDb = Database.connect(vertx, url, 2);
    pools.add(db);
    pools.add(auditDb);
    var audit = new GroupCommitAuditLog(vertx, auditDb.pool(), clock,
        new StintConfig.AuditConfig(Duration.ofSeconds(5), 64));
    AccessSettings settings = new AccessSettings(Duration.ofHours(24), Duration.ofDays(30),
        URI.create("https://stint.example.com"), Duration.ofMinutes(10));
    AccessService service = new AccessService(new AccessStore(db.pool()), policies,
        new AccessAudit(audit), settings, clock);
    service.listen(new RequestNotifier(sent::add, settings::link));
    return service;
  }

  @AfterAll
  static void stop() throws Exception {
    pools.forEach(Database::close);
    vertx.close().await(10, TimeUnit.SECONDS);
    idp.close();
  }

  static Caller caller(String user, String... groups) {
    dev.stint.identity.Principal p = new dev.stint.identity.Principal("corp", idp.issuer(), user,
        Optional.of(user + "@example.com"), List.of(groups), java.util.Map.of(),
        SweeperTest.T0.plus(Duration.ofDays(9)), Optional.empty());
    return new Caller(p, Optional.of("127.0.0.1"), Optional.of("test"));
  }

  static AccessRequest sandbox(String user) throws Exception {
    AccessRequest r = AuditTables.await(replicaA.create(caller(user, "oncall"),
        new NewRequest("sandbox", Duration.ofMinutes(30), "", Optional.empty(), Optional.empty(),
            false)));
    assertThat(r.state()).isEqualTo(RequestState.APPROVED);
    return r;
  }

  static List<String> events(String requestId) throws Exception {
    return AuditTables.strings(url, "SELECT type FROM audit_events WHERE request_id = '"
        + requestId + "' ORDER BY seq");
  }

  static List<String> notified(String requestId) {
    synchronized (sent) {
      return sent.stream().filter(n -> n.request().id().equals(requestId))
          .map(Notification::event).toList();
    }
  }

  @Test
  void oneReminderBeforeTheEndAndOneNoticeWhenItEnds() throws Exception {
    clock.now = SweeperTest.T0;
    AccessRequest kept = sandbox("dave");
    AccessRequest revoked = sandbox("erin");
    AuditTables.await(replicaA.decide(caller("erin", "oncall"), revoked.id(),
        AccessService.Action.REVOKE, Optional.empty()));

    clock.now = SweeperTest.T0.plus(Duration.ofMinutes(19));
    AuditTables.await(replicaA.sweep());
    assertThat(events(kept.id())).containsExactly("request.created", "request.approved");

    clock.now = SweeperTest.T0.plus(Duration.ofMinutes(21));
    AuditTables.await(Future.all(replicaA.sweep(), replicaB.sweep()));
    clock.now = SweeperTest.T0.plus(Duration.ofMinutes(25));
    AuditTables.await(Future.all(replicaA.sweep(), replicaB.sweep()));
    assertThat(events(kept.id())).containsExactly("request.created", "request.approved",
        "grant.expiring");
    assertThat(AuditTables.strings(url, "SELECT actor_subject || ' ' || reason FROM audit_events"
        + " WHERE type = 'grant.expiring' AND request_id = '" + kept.id() + "'"))
        .containsExactly("system the grant ends at 2026-11-23T09:30:00Z");
    assertThat(notified(kept.id())).containsExactly("request.created", "request.approved",
        "grant.expiring");
    Notification reminder = sent.stream().filter(n -> n.event().equals("grant.expiring"))
        .findFirst().orElseThrow();
    assertThat(reminder.summary()).isEqualTo(
        "dave@example.com's access to sandbox ends at 2026-11-23T09:30:00Z");
    assertThat(reminder.body()).containsEntry("grant_ends_at", "2026-11-23T09:30:00Z");

    clock.now = SweeperTest.T0.plus(Duration.ofMinutes(31));
    AuditTables.await(Future.all(replicaA.sweep(), replicaB.sweep()));
    assertThat(events(kept.id())).containsExactly("request.created", "request.approved",
        "grant.expiring", "grant.expired");
    assertThat(notified(kept.id())).endsWith("grant.expiring", "grant.expired");
    assertThat(events(revoked.id())).doesNotContain("grant.expiring", "grant.expired");
    assertThat(notified(revoked.id())).doesNotContain("grant.expiring");
  }
}
