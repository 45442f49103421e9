package dev.stint.audit;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.db.DatabaseConnections;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The live stream survives losing its LISTEN connection and misses nothing meanwhile. */
class LiveAuditTest {
  @Test
  void reconnectsAfterItsConnectionIsKilledAndCatchesUp() throws Exception {
    DatabaseUrl url = TestPostgres.migratedDatabase();
    Vertx vertx = Vertx.vertx();
    try {
      Database db = Database.connect(vertx, url, 2);
      GroupCommitAuditLog log =
          new GroupCommitAuditLog(
              vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 16));
      LiveAudit live =
          new LiveAudit(vertx, DatabaseConnections.options(url), new AuditReader(db.pool()));
      await(live.start());
      LinkedBlockingQueue<AuditRecord> received = new LinkedBlockingQueue<>();
      await(live.subscribe(received::add));

      AuditRecord before = await(log.append(AuditEvent.builder("grant.expired").build()));
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(before);

      assertThat(
              AuditTables.strings(
                  url,
                  "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))"
                      + " FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'"))
          .containsExactly("1");
      // Appended while the listener may be down: delivered after it reconnects, in order.
      AuditRecord during = await(log.append(AuditEvent.builder("grant.revoked").build()));
      AuditRecord after = await(log.append(AuditEvent.builder("grant.revoked").build()));
      assertThat(received.poll(15, TimeUnit.SECONDS)).isEqualTo(during);
      assertThat(received.poll(15, TimeUnit.SECONDS)).isEqualTo(after);
      // Nothing twice: the next record delivered is one appended afterwards, in seq order.
      AuditRecord sentinel = await(log.append(AuditEvent.builder("grant.expired").build()));
      assertThat(received.poll(15, TimeUnit.SECONDS)).isEqualTo(sentinel);
      assertThat(received).isEmpty();
    } finally {
      await(vertx.close());
    }
  }
}
