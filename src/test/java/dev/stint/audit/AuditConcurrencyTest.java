package dev.stint.audit;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Two writer instances (two Vert.x instances and pools, as two replicas would have) append
 * concurrently from many threads to one database: one chain, no gaps, no forks, each event once.
 */
class AuditConcurrencyTest {
  private static final int EVENTS = 2_000;
  private static final int CALLERS = 20;

  @Test
  void twoWritersManyCallersOneChain() throws Exception {
    DatabaseUrl url = TestPostgres.migratedDatabase();
    Vertx a = Vertx.vertx();
    Vertx b = Vertx.vertx();
    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    try {
      // Small batches so the two writers interleave many times.
      AuditConfig settings = new AuditConfig(Patience.AUDIT_COMMIT, 32);
      Database dbA = Database.connect(a, url, 4);
      Database dbB = Database.connect(b, url, 4);
      List<GroupCommitAuditLog> writers =
          List.of(
              new GroupCommitAuditLog(a, dbA.pool(), Clock.systemUTC(), settings),
              new GroupCommitAuditLog(b, dbB.pool(), Clock.systemUTC(), settings));

      List<java.util.concurrent.Future<Future<AuditRecord>>> submitted = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        int n = i;
        submitted.add(
            callers.submit(
                () ->
                    writers
                        .get(n % 2)
                        .append(
                            AuditEvent.builder("credential.issued")
                                .target("caller-" + n)
                                .build())));
      }
      Set<Long> seqs = new HashSet<>();
      for (int i = 0; i < EVENTS; i++) {
        AuditRecord r = await(submitted.get(i).get());
        assertThat(r.event().target()).isEqualTo("caller-" + i);
        assertThat(seqs.add(r.seq())).as("seq %s handed out twice", r.seq()).isTrue();
      }
      assertThat(seqs).hasSize(EVENTS).allMatch(s -> s >= 1 && s <= EVENTS);

      assertThat(
              AuditTables.strings(
                  url,
                  "SELECT count(*) || ' ' || count(DISTINCT target)"
                      + " || ' ' || min(seq) || ' ' || max(seq) || ' ' || count(DISTINCT prev_hash)"
                      + " FROM audit_events"))
          .containsExactly(EVENTS + " " + EVENTS + " 1 " + EVENTS + " " + EVENTS);
      ChainVerifier.Result result = await(new ChainVerifier(dbA.pool()).verify());
      assertThat(result.ok()).as(result.toString()).isTrue();
      assertThat(result.count()).isEqualTo(EVENTS);
      // Group commit did group: fewer transactions (xmin) than events, none above max_batch.
      long transactions =
          Long.parseLong(
              AuditTables.strings(url, "SELECT count(DISTINCT xmin::text) FROM audit_events")
                  .get(0));
      assertThat(transactions).isBetween((long) EVENTS / 32, (long) EVENTS - 1);
      assertThat(
              AuditTables.strings(
                  url,
                  "SELECT max(n) FROM (SELECT count(*) AS n"
                      + " FROM audit_events GROUP BY xmin::text) t"))
          .allMatch(n -> Long.parseLong(n) <= 32);
    } finally {
      callers.shutdownNow();
      await(a.close());
      await(b.close());
    }
  }
}
