package dev.stint.finding;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.pgclient.PgException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A call that cannot be judged (a poison call) no longer blocks the queue: the batch it is in is
 * judged again a call at a time, the poison call set aside with its error, counted and named in the
 * worker's warning, and the calls after it judged. A failure the database might get over is tried
 * again, and sets a call aside only after its tries are spent.
 */
class SetAsideTest {
  private static final Duration WAIT = Patience.of(Duration.ofSeconds(30));
  private FindingRig rig;
  private FindingWorker worker;

  @BeforeEach
  void setUp() throws Exception {
    rig = new FindingRig();
    worker = new FindingWorker(rig.vertx, rig.judging, rig.db.pool(), () -> {}, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    worker.close();
    rig.close();
  }

  /**
   * A call whose service is longer than a baseline's key may be: its baseline write fails in every
   * batch it is in, whatever is tried, as a malformed record kept before the ingest capped it
   * would.
   */
  private void queuePoison() throws Exception {
    byte[] random = new byte[6000];
    new SecureRandom().nextBytes(random);
    String service = HexFormat.of().formatHex(random);
    AuditTables.execute(
        TestPostgres.asSuperuser(rig.url),
        "INSERT INTO finding_queue (event_id, credential_id, request_id, at, source, name, region,"
            + " with_decryption) VALUES ('poison-1', 'crd_grant', 'req_1', now(), '"
            + service
            + "', 'Describe', 'eu-west-1', false)");
  }

  @Test
  void aPoisonCallIsSetAsideAloneAndTheCallsAfterItAreJudged() throws Exception {
    queuePoison();
    rig.push("escape", FindingRig.GRANT_KEY, Instant.now());
    assertThat(rig.count("SELECT count(*) FROM finding_queue")).isEqualTo(2);
    assertThat(AuditTables.failure(rig.judging.once()))
        .as("the whole batch fails while the poison call is in it")
        .isInstanceOf(Judging.Failed.class);

    worker.poke();

    Eventually.until(
        "the queue drained", WAIT, () -> rig.count("SELECT count(*) FROM finding_queue") == 0);
    assertThat(rig.findings())
        .singleElement()
        .satisfies(f -> assertThat(f.rule().id()).isEqualTo("escape"));
    assertThat(
            AuditTables.strings(
                rig.url,
                "SELECT event_id || ' ' || attempts || ' ' || error FROM finding_set_aside"))
        .singleElement()
        .satisfies(
            row ->
                assertThat(row)
                    .startsWith("poison-1 1 ")
                    .contains("index row", "(54000)")
                    .doesNotContain("\n"));
    assertThat(worker.setAside()).isEqualTo(1);
    Eventually.until("the warning counts it", WAIT, () -> worker.warning().isPresent());
    assertThat(worker.warning())
        .hasValueSatisfying(w -> assertThat(w).startsWith("1 kept call was set aside"));
    assertThat(worker.judged()).isEqualTo(1);
  }

  @Test
  void aFailureTheDatabaseMightGetOverSetsACallAsideOnlyAfterItsTries() throws Exception {
    rig.push("escape", FindingRig.GRANT_KEY, Instant.now());
    long seq = rig.count("SELECT seq FROM finding_queue");
    SetAside aside = new SetAside(rig.db.pool());
    Judging.Failed serialization =
        new Judging.Failed(
            List.of(seq), new PgException("could not serialize", "ERROR", "40001", null));

    for (int i = 1; i < SetAside.TRANSIENT_ATTEMPTS; i++) {
      assertThat(await(aside.failed(seq, serialization, Instant.now()))).as("try " + i).isFalse();
    }
    assertThat(rig.count("SELECT count(*) FROM finding_set_aside")).isZero();
    assertThat(await(aside.failed(seq, serialization, Instant.now()))).isTrue();

    assertThat(rig.count("SELECT count(*) FROM finding_queue")).isZero();
    assertThat(
            AuditTables.strings(rig.url, "SELECT attempts || ' ' || error FROM finding_set_aside"))
        .containsExactly(
            SetAside.TRANSIENT_ATTEMPTS
                + " io.vertx.pgclient.PgException: ERROR: could not serialize (40001)");
    assertThat(await(aside.count())).isEqualTo(1);
  }

  @Test
  void onlyWhatTheDatabaseMightGetOverCountsAsTransient() {
    assertThat(SetAside.transientFailure(new PgException("x", "ERROR", "40P01", null))).isTrue();
    assertThat(SetAside.transientFailure(new PgException("x", "ERROR", "57014", null))).isTrue();
    assertThat(SetAside.transientFailure(new PgException("x", "ERROR", "55P03", null))).isTrue();
    assertThat(SetAside.transientFailure(new PgException("x", "FATAL", "08006", null))).isTrue();
    assertThat(SetAside.transientFailure(new PgException("x", "ERROR", "54000", null))).isFalse();
    assertThat(SetAside.transientFailure(new PgException("x", "ERROR", "23505", null))).isFalse();
    assertThat(SetAside.transientFailure(new IllegalStateException("a rule's fault"))).isFalse();
  }
}
