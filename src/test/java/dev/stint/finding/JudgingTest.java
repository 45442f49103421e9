package dev.stint.finding;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.activity.ActivityIngest;
import dev.stint.outbox.DurableListener;
import dev.stint.testing.AuditTables;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kept calls judged exactly once: queued in the keep's own transaction, judged and taken off the
 * queue in one transaction (a failed one leaves them for the next), one replica at a time; each
 * finding recorded with what the policy in force said when its call was judged; the baselines kept
 * as calls are judged. Against the real migrations, ledger, ingest and audit ({@link FindingRig}).
 */
class JudgingTest {
  private FindingRig rig;

  @BeforeEach
  void setUp() throws Exception {
    rig = new FindingRig();
  }

  @AfterEach
  void tearDown() throws Exception {
    rig.close();
  }

  long queued() throws Exception {
    return rig.count("SELECT count(*) FROM finding_queue");
  }

  @Test
  void aPushedCallIsQueuedInItsKeepAndJudgedOnceHoweverOftenItIsDelivered() throws Exception {
    Instant at = Instant.now();
    assertThat(rig.push("escape", FindingRig.GRANT_KEY, at)).isEqualTo(ActivityIngest.Outcome.KEPT);
    assertThat(rig.push("escape", FindingRig.GRANT_KEY, at)).isEqualTo(ActivityIngest.Outcome.KEPT);
    assertThat(queued()).as("kept once, queued once").isEqualTo(1);

    assertThat(await(rig.judging.once())).isEqualTo(new Judging.Round(1, 1, false));
    assertThat(await(rig.judging.once())).isEqualTo(new Judging.Round(0, 0, false));

    assertThat(queued()).isZero();
    assertThat(rig.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.id()).startsWith("fnd_");
              assertThat(f.origin().credentialId()).isEqualTo("crd_grant");
              assertThat(f.origin().leaseId()).isEmpty();
              assertThat(f.action()).isEqualTo(Finding.Action.NOTIFIED);
            });
    assertThat(rig.count("SELECT count(*) FROM outbox WHERE listener = 'finding.act'"))
        .isEqualTo(1);
  }

  @Test
  void aJudgingThatFailsLeavesItsCallsQueuedAndChangesNothingAndTheNextJudgesThemOnce()
      throws Exception {
    AtomicBoolean fail = new AtomicBoolean(true);
    rig.outbox.register(failingOnce(fail));
    rig.push("escape", FindingRig.GRANT_KEY, Instant.now());

    assertThat(AuditTables.failure(rig.judging.once())).hasMessageContaining("stopped");

    assertThat(queued()).isEqualTo(1);
    assertThat(rig.findings()).isEmpty();
    assertThat(rig.count("SELECT count(*) FROM finding_profile_services")).isZero();
    assertThat(await(rig.judging.once()).raised()).isEqualTo(1);
    assertThat(await(rig.judging.once()).judged()).isZero();
    assertThat(rig.findings()).hasSize(1);
  }

  @Test
  void oneReplicaJudgesAtATimeAndTheOthersLeaveTheQueueToIt() throws Exception {
    rig.push("escape", FindingRig.GRANT_KEY, Instant.now());
    try (Connection other = AuditTables.connect(rig.url)) {
      other.setAutoCommit(false);
      try (Statement s = other.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(1398031940, 1)");
        assertThat(await(rig.judging.once())).isEqualTo(Judging.Round.BUSY);
        assertThat(queued()).isEqualTo(1);
      }
      other.rollback();
    }
    assertThat(await(rig.judging.once()).raised()).isEqualTo(1);
  }

  @Test
  void aCallOfACredentialTheLedgerDoesNotHoldIsTakenOffTheQueueAndRaisesNothing() throws Exception {
    AuditTables.execute(
        rig.url,
        "INSERT INTO finding_queue (event_id, credential_id, request_id, at, source, name,"
            + " region, with_decryption) VALUES ('e-1', 'crd_gone', 'req_1', now(),"
            + " 'iam.amazonaws.com', 'CreateAccessKey', 'us-east-1', false)");

    assertThat(await(rig.judging.once())).isEqualTo(new Judging.Round(1, 0, false));
    assertThat(queued()).isZero();
  }

  @Test
  void aCallOfAKeyStintNeverIssuedIsCountedAndNeitherKeptNorQueued() throws Exception {
    assertThat(rig.push("escape", "ASIASOMEONEELSE00001", Instant.now()))
        .isEqualTo(ActivityIngest.Outcome.UNMATCHED);
    assertThat(await(rig.ingest.accept(Optional.of("Bearer " + FindingRig.TOKEN), "{".getBytes())))
        .isEqualTo(ActivityIngest.Outcome.MALFORMED);

    assertThat(rig.ingest.unmatchedCalls()).isEqualTo(1);
    assertThat(rig.count("SELECT count(*) FROM activity_events")).isZero();
    assertThat(queued()).isZero();
  }

  @Test
  void theBaselinesAreKeptAsCallsAreJudged() throws Exception {
    rig.push("escape", FindingRig.LEASE_KEY, Instant.now());
    await(rig.judging.once());

    assertThat(
            AuditTables.strings(
                rig.url, "SELECT profile || ' ' || service FROM finding_profile_services"))
        .containsExactly("prod iam");
    assertThat(AuditTables.strings(rig.url, "SELECT region FROM finding_profile_regions"))
        .containsExactly("us-east-1");
    assertThat(
            AuditTables.strings(
                rig.url, "SELECT subject || ' ' || network FROM finding_person_networks"))
        .containsExactly("alice 198.51.100.0/24");
    assertThat(AuditTables.strings(rig.url, "SELECT calls::text FROM finding_profile_hours"))
        .containsExactly("1");
  }

  /** A listener whose {@code wants} fails the first enqueue, as a crash mid-transaction would. */
  private static DurableListener<FindingChange> failingOnce(AtomicBoolean fail) {
    return new DurableListener<>() {
      @Override
      public String name() {
        return "test.stops";
      }

      @Override
      public boolean wants(FindingChange change) {
        if (fail.getAndSet(false)) {
          throw new IllegalStateException("the replica stopped here");
        }
        return false;
      }

      @Override
      public Future<Void> deliver(FindingChange change, Delivery delivery) {
        return Future.succeededFuture();
      }
    };
  }
}
