package dev.stint.access;

import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.facts.FactSource;
import dev.stint.identity.Principal;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.PolicyLoader;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The access use cases on a real database, wired as the server wires them, for the sweeper tests:
 * any number of replicas (each with its own pools and audit writer, as separate processes would
 * have), one clock the test moves, and callers from a real IdP.
 */
final class AccessRig implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

  /** One replica's services over its own connections. */
  record Replica(AccessUseCases access, GroupCommitAuditLog audit, Database db) {}

  final Vertx vertx = Vertx.vertx();
  final DatabaseUrl url = TestPostgres.migratedDatabase();

  /** The clock every replica reads; the test moves it. */
  final MutableClock clock = new MutableClock(T0);

  final TestIdp idp = new TestIdp("corp");
  final PolicyInForce policies;
  private final List<Database> pools = new ArrayList<>();

  /** {@code policy} writes the policy file's text for the rig's IdP. */
  AccessRig(Path policyDir, Function<TestIdp, String> policy) throws IOException {
    Files.writeString(policyDir.resolve("p.yaml"), policy.apply(idp));
    this.policies = new PolicyInForce(new PolicyLoader().load(policyDir));
  }

  /** The server's defaults (a 10-minute expiry reminder among them). */
  static final AccessSettings SETTINGS =
      new AccessSettings(
          AccessSettings.DEFAULT_REVIEW_TIMEOUT, AccessSettings.DEFAULT_MAX_SCHEDULE_AHEAD);

  /** Where the notifiers of these tests link a request. */
  static URI link(String requestId) {
    return URI.create("https://stint.example.com/ui/requests/" + requestId);
  }

  Replica replica() {
    return replica(FactSource.NONE);
  }

  /** A replica whose decisions look facts up in {@code facts}. */
  Replica replica(FactSource facts) {
    Database db = Database.connect(vertx, url, 4);
    Database auditDb = Database.connect(vertx, url, 2);
    pools.add(db);
    pools.add(auditDb);
    var audit =
        new GroupCommitAuditLog(
            vertx, auditDb.pool(), clock, new StintConfig.AuditConfig(Patience.AUDIT_COMMIT, 64));
    return new Replica(
        new AccessUseCases(
            new AccessStore(db.pool(), db.pipelined()),
            policies,
            new AccessAudit(audit),
            SETTINGS,
            clock,
            facts),
        audit,
        db);
  }

  Caller caller(String user, String... groups) {
    Principal p =
        new Principal(
            "corp",
            idp.issuer(),
            user,
            Optional.of(user + "@example.com"),
            List.of(groups),
            // Identity providers verify the addresses they issue; an unverified one is tested
            // where it matters (FactsTrustBoundaryTest).
            Map.of("email", user + "@example.com", "email_verified", true),
            T0.plus(Duration.ofDays(9)),
            Optional.empty());
    return new Caller(p, Optional.of("127.0.0.1"), Optional.of("test"));
  }

  @Override
  public void close() throws Exception {
    pools.forEach(Database::close);
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    idp.close();
  }
}
