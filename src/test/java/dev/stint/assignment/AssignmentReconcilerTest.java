package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.RequestListener.Change;
import dev.stint.identity.Person;
import dev.stint.outbox.Outbox;
import dev.stint.outbox.OutboxWorker;
import dev.stint.testing.AuditTables;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The backstop for an assignment whose deletion was never queued (review M1): a grant whose end
 * committed while its end's outbox row was lost (or died) is found, given the end's row once,
 * audited and alarmed, and its assignment deleted by the outbox as any end's is; a live grant's
 * assignment, and one whose end waits in the outbox, are left alone.
 */
class AssignmentReconcilerTest extends AssignmentBench {
  static final Person ALICE =
      new Person("https://idp.test", "alice", Optional.of("alice@example.com"));

  /** The end's own transaction: the request's new state, and the end's row in the outbox. */
  void endCommitted(Change end, String state) throws Exception {
    filed.put(end.request().id(), end);
    Outbox<Change> outbox = new Outbox<>(server.pool());
    AuditTables.await(
        server
            .pool()
            .withTransaction(
                conn ->
                    conn.preparedQuery("UPDATE access_requests SET state = $2 WHERE id = $1")
                        .execute(Tuple.of(end.request().id(), state))
                        .compose(x -> outbox.enqueue(conn, server.listener(), end))));
  }

  List<String> endRows(String requestId) throws Exception {
    return AuditTables.strings(
        url,
        "SELECT state FROM outbox WHERE listener = '"
            + AssignmentListener.NAME
            + "' AND request_id = '"
            + requestId
            + "' ORDER BY id");
  }

  /** The outbox as a replica that registers the assignment listener delivers it. */
  int deliverOutbox() throws Exception {
    Outbox<Change> outbox = new Outbox<>(server.pool());
    outbox.register(server.listener());
    return AuditTables.await(
        new OutboxWorker<>(
                server.vertx(),
                server.pool(),
                outbox,
                this::rebuild,
                OutboxWorker.Settings.of(Duration.ofHours(24), Duration.ofMinutes(2)),
                server.audit(),
                clock)
            .drain());
  }

  int reconcile() throws Exception {
    return AuditTables.await(server.assignments().reconcile());
  }

  @Test
  void aGrantEndedWithItsEndsRowLostIsFoundAndItsAssignmentDeleted() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_a", ALICE));
    assertThat(sso.assignments()).hasSize(1);
    endCommitted(revoked("grt_a", ALICE), "revoked");
    AuditTables.execute(url, "DELETE FROM outbox WHERE request_id = 'req_grt_a'");

    assertThat(reconcile()).isEqualTo(1);

    assertThat(endRows("req_grt_a")).containsExactly("pending");
    assertThat(events("assignment.deletion_restored")).containsExactly("grt_a");
    assertThat(alarms).containsExactly("restored grt_a");
    assertThat(reconcile()).as("its end is in the outbox now: not queued twice").isZero();
    assertThat(endRows("req_grt_a")).hasSize(1);

    assertThat(deliverOutbox()).isEqualTo(1);
    assertThat(sso.assignments()).isEmpty();
    assertThat(state("grt_a")).containsExactly("deleted");
    assertThat(reconcile()).isZero();
    assertThat(alarms).as("alarmed once").hasSize(1);
  }

  @Test
  void anExpiredGrantWhoseEndWasNeverWrittenIsFoundToo() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_e", ALICE));
    // A replica whose listeners did not include the assignment's expired it: no row at all.
    AuditTables.execute(url, "UPDATE access_requests SET state = 'expired' WHERE id = 'req_grt_e'");

    assertThat(reconcile()).isEqualTo(1);
    assertThat(AuditTables.strings(url, "SELECT event FROM outbox WHERE request_id = 'req_grt_e'"))
        .containsExactly("grant.expired");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT (ending_at IS NOT NULL)::text FROM identity_center_assignments"
                    + " WHERE grant_id = 'grt_e'"))
        .as("stamped as the end's own transaction stamps it")
        .containsExactly("true");
    deliverOutbox();
    assertThat(sso.assignments()).isEmpty();
  }

  /** Nothing was assigned yet (its start never delivered): the end is queued, nobody woken. */
  @Test
  void anEndedGrantWhoseAssignmentWasNeverAskedForIsQueuedWithoutAnAlarm() throws Exception {
    store.addUser("alice@example.com");
    assertThat(commit(approved("grt_n", ALICE))).isTrue();
    AuditTables.execute(url, "UPDATE access_requests SET state = 'revoked' WHERE id = 'req_grt_n'");
    AuditTables.execute(url, "DELETE FROM outbox WHERE request_id = 'req_grt_n'");

    assertThat(reconcile()).isEqualTo(1);

    assertThat(events("assignment.deletion_restored")).containsExactly("grt_n");
    assertThat(alarms).isEmpty();
    deliverOutbox();
    assertThat(state("grt_n")).containsExactly("deleted");
    assertThat(sso.assignments()).isEmpty();
  }

  @Test
  void aLiveGrantsAssignmentIsLeftAlone() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_l", ALICE));

    assertThat(reconcile()).isZero();

    assertThat(endRows("req_grt_l")).isEmpty();
    assertThat(sso.assignments()).hasSize(1);
    assertThat(state("grt_l")).containsExactly("created");
    assertThat(alarms).isEmpty();
  }

  @Test
  void anEndWaitingInTheOutboxGetsNoSecondRow() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_p", ALICE));
    endCommitted(revoked("grt_p", ALICE), "revoked");

    assertThat(reconcile()).isZero();

    assertThat(endRows("req_grt_p")).containsExactly("pending");
    assertThat(alarms).isEmpty();
    assertThat(events("assignment.deletion_restored")).isEmpty();
  }

  @Test
  void anEndTheOutboxGaveUpOnIsQueuedAgain() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_d", ALICE));
    endCommitted(revoked("grt_d", ALICE), "revoked");
    // Dead, as an outbox that gave up on ends left it.
    AuditTables.execute(url, "UPDATE outbox SET state = 'dead' WHERE request_id = 'req_grt_d'");

    assertThat(reconcile()).isEqualTo(1);

    assertThat(endRows("req_grt_d")).containsExactly("dead", "pending");
    deliverOutbox();
    assertThat(sso.assignments()).isEmpty();
    assertThat(state("grt_d")).containsExactly("deleted");
  }

  @Test
  void aDeletedAssignmentOfAnEndedGrantIsLeftAlone() throws Exception {
    store.addUser("alice@example.com");
    deliver(approved("grt_x", ALICE));
    endCommitted(revoked("grt_x", ALICE), "revoked");
    assertThat(deliverOutbox()).isEqualTo(1);
    assertThat(state("grt_x")).containsExactly("deleted");

    assertThat(reconcile()).isZero();
    assertThat(endRows("req_grt_x")).containsExactly("done");
  }
}
