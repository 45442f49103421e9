package dev.stint.audit;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A verify walks as many pages as the log has (ten thousand on a log of ten million events).
 * Chained page by page, their completions nested until the last one overflowed the stack and the
 * verify never answered; here a short chain in single-row pages makes as many.
 */
class ChainVerifierLongWalkTest {
  static final int EVENTS = 12_000;

  @Test
  void aWalkOfManyPagesAnswers() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Database db = Database.connect(vertx, TestPostgres.migratedDatabase(), 4);
      GroupCommitAuditLog log =
          new GroupCommitAuditLog(
              vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 256));
      for (int done = 0; done < EVENTS; done += 1000) {
        List<Future<AuditRecord>> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          batch.add(
              log.append(
                  AuditEvent.builder("request.created")
                      .actor("https://idp", "alice", null)
                      .target("n" + (done + i))
                      .build()));
        }
        await(Future.all(batch));
      }
      ChainVerifier.Result r = await(new ChainVerifier(db.pool(), 1).verify());
      assertThat(r.problem()).isEmpty();
      assertThat(r.ok()).isTrue();
      assertThat(r.count()).isEqualTo(EVENTS);
    } finally {
      await(vertx.close());
    }
  }
}
