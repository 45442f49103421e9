package dev.stint.db;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.Eventually;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pipelined connections: many statements at once, each its own answer, and recovery. */
class DatabaseTest {
  /** This test's own database only: other test classes share the server. */
  private static final String PIPELINED_BACKENDS =
      "SELECT pid FROM pg_stat_activity"
          + " WHERE datname = current_database() AND application_name = '"
          + Database.PIPELINED_APPLICATION_NAME
          + "'";

  private Vertx vertx;
  private Database db;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    db = Database.connect(vertx, TestPostgres.migratedDatabase(), 4);
  }

  @AfterEach
  void stop() throws Exception {
    await(db.closeAsync());
    await(vertx.close());
  }

  @Test
  void manyStatementsAtOnceEachGetTheirOwnAnswerOnAtMostTwoConnections() throws Exception {
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      answers.add(
          db.pipelined()
              .preparedQuery("SELECT $1::int + 1 AS n, pg_backend_pid() AS pid")
              .execute(Tuple.of(i))
              .map(rows -> rows.iterator().next().getInteger("n")));
    }
    await(Future.all(answers));
    for (int i = 0; i < answers.size(); i++) {
      assertThat(answers.get(i).result()).isEqualTo(i + 1);
    }
    assertThat(backends()).hasSizeBetween(1, 2);
  }

  @Test
  void connectionsTheDatabaseDroppedAreReplaced() throws Exception {
    await(db.pipelined().query("SELECT 1").execute());
    Set<Integer> before = backends();
    assertThat(before).isNotEmpty();
    for (int pid : before) {
      await(db.pool().preparedQuery("SELECT pg_terminate_backend($1)").execute(Tuple.of(pid)));
    }
    // The first statement on a dropped connection may fail; a later one gets a new connection.
    Integer answer =
        Eventually.get(
            "a statement that gets a new connection",
            Duration.ofSeconds(5),
            () -> {
              try {
                return Optional.of(
                    await(db.pipelined().query("SELECT 42 AS n").execute())
                        .iterator()
                        .next()
                        .getInteger("n"));
              } catch (Exception dropped) {
                return Optional.empty();
              }
            });
    assertThat(answer).isEqualTo(42);
    assertThat(backends()).isNotEmpty().doesNotContainAnyElementsOf(before);
  }

  private Set<Integer> backends() throws Exception {
    Set<Integer> pids = new HashSet<>();
    for (Row row : await(db.pool().query(PIPELINED_BACKENDS).execute())) {
      pids.add(row.getInteger("pid"));
    }
    return pids;
  }
}
