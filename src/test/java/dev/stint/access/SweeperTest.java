package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.identity.Principal;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweeper, run by two replicas at once, against a clock the test moves. */
class SweeperTest {
  static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

  /** A clock the test moves forward; both replicas read it. */
  static final class MovableClock extends Clock {
    volatile Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static Vertx vertx;
  static DatabaseUrl url;
  static final List<Database> pools = new ArrayList<>();
  static final MovableClock clock = new MovableClock();
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
    return new AccessService(new AccessStore(db.pool()), policies, new AccessAudit(audit),
        new AccessSettings(Duration.ofHours(24), Duration.ofDays(30),
            URI.create("https://stint.example.com")), clock);
  }

  @AfterAll
  static void stop() throws Exception {
    pools.forEach(Database::close);
    vertx.close().await(10, TimeUnit.SECONDS);
    idp.close();
  }

  static Caller caller(String user, String... groups) {
    Principal p = new Principal("corp", idp.issuer(), user, Optional.of(user + "@example.com"),
        List.of(groups), Map.of(), T0.plus(Duration.ofDays(9)), Optional.empty());
    return new Caller(p, Optional.of("127.0.0.1"), Optional.of("test"));
  }

  @Test
  void stalePendingRequestsTimeOutAndEndedGrantsExpireExactlyOnceAcrossReplicas()
      throws Exception {
    clock.now = T0;
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      pending.add(AuditTables.await(replicaA.create(caller("user" + i, "eng"),
          new NewRequest("prod", Duration.ofHours(1), "INC-" + i, Optional.empty(),
              Optional.empty(), false))).id());
    }
    AccessRequest auto = AuditTables.await(replicaA.create(caller("oncall1", "oncall"),
        new NewRequest("sandbox", Duration.ofMinutes(30), "", Optional.empty(),
            Optional.empty(), false)));
    assertThat(auto.state()).isEqualTo(RequestState.APPROVED);

    clock.now = T0.plus(Duration.ofHours(23));
    assertThat(AuditTables.await(Future.all(replicaA.sweep(), replicaB.sweep()))
        .<Integer>list()).containsExactlyInAnyOrder(1, 0).as("only the grant has ended");

    clock.now = T0.plus(Duration.ofHours(25));
    Future<Integer> a = replicaA.sweep();
    Future<Integer> b = replicaB.sweep();
    int swept = AuditTables.await(a) + AuditTables.await(b);
    assertThat(swept).isEqualTo(6);

    for (String id : pending) {
      AccessRequest r = AuditTables.await(replicaB.get(caller("carol", "sre"), id));
      assertThat(r.state()).isEqualTo(RequestState.TIMED_OUT);
      assertThat(AuditTables.strings(url, "SELECT type FROM audit_events WHERE request_id = '"
          + id + "' ORDER BY seq")).containsExactly("request.created", "request.timed_out");
    }
    assertThat(AuditTables.strings(url, "SELECT actor_subject FROM audit_events WHERE type = "
        + "'grant.expired' AND request_id = '" + auto.id() + "'")).containsExactly("system");
    assertThat(AuditTables.await(replicaA.sweep())).isZero();
  }
}
