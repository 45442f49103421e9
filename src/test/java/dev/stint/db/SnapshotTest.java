package dev.stint.db;

import static dev.stint.testing.AuditTables.await;
import static dev.stint.testing.AuditTables.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads that must see one moment: a change committed between two statements of a {@link Snapshot}
 * is seen by neither, and a snapshot writes nothing.
 */
class SnapshotTest {
  private Vertx vertx;
  private Database db;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    DatabaseUrl owner = TestPostgres.asOwner(TestPostgres.migratedDatabase());
    AuditTables.execute(owner, "CREATE TABLE probe (v int); INSERT INTO probe VALUES (1)");
    db = Database.connect(vertx, owner, 2);
  }

  @AfterEach
  void stop() throws Exception {
    await(db.closeAsync());
    await(vertx.close());
  }

  private static Future<Integer> value(SqlClient client) {
    return client
        .query("SELECT v FROM probe")
        .execute()
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  @Test
  void aChangeCommittedBetweenTwoReadsIsSeenByNeither() throws Exception {
    String seen =
        await(
            Snapshot.read(
                db.pool(),
                conn ->
                    value(conn)
                        .compose(
                            before ->
                                db.pool()
                                    .query("UPDATE probe SET v = 2")
                                    .execute()
                                    .compose(committed -> value(conn))
                                    .map(after -> before + " then " + after))));

    assertThat(seen).isEqualTo("1 then 1");
    assertThat(await(value(db.pool()))).as("committed, and read after").isEqualTo(2);
  }

  @Test
  void aSnapshotWritesNothing() throws Exception {
    Throwable refused =
        failure(Snapshot.read(db.pool(), conn -> conn.query("UPDATE probe SET v = 3").execute()));

    assertThat(refused).hasMessageContaining("read-only transaction");
    assertThat(await(value(db.pool()))).isEqualTo(1);
  }
}
