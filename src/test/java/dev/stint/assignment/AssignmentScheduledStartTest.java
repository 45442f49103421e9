package dev.stint.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.RequestListener.Change;
import dev.stint.outbox.Outbox;
import dev.stint.outbox.OutboxWorker;
import dev.stint.testing.AuditTables;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Requests;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A grant scheduled to start further ahead than the outbox's patience ({@code
 * outbox.give_up_after}) is assigned at its start: the outbox holds its row until then, neither
 * trying it early nor giving up on it, and does not count it as waiting. Time is the injected
 * clock's, moved by hand; the outbox and the listener are the real ones on the bench's database.
 */
class AssignmentScheduledStartTest extends AssignmentBench {
  static final Duration GIVE_UP_AFTER = Duration.ofHours(24);

  @Test
  void aGrantStartingAfterTheOutboxsPatienceIsAssignedAtItsStart() throws Exception {
    String alice = store.addUser("alice@example.com").userId();
    MutableClock time = new MutableClock(now);
    server.stop();
    clock = time;
    server = start();
    Outbox<Change> outbox = new Outbox<>(server.pool());
    outbox.register(server.listener());
    Instant start = now.plus(Duration.ofDays(3));
    Change approval =
        change(
            "request.approved",
            "grt_ahead",
            Requests.ALICE,
            RequestState.APPROVED,
            start,
            start.plus(Duration.ofHours(1)));
    OutboxWorker<Change> worker =
        new OutboxWorker<>(
            server.vertx(),
            server.pool(),
            outbox,
            recorded -> Future.succeededFuture(Optional.of(approval)),
            new OutboxWorker.Settings(
                Duration.ofSeconds(1),
                Duration.ofMinutes(2),
                List.of(Duration.ofSeconds(10), Duration.ofMinutes(1)),
                GIVE_UP_AFTER,
                1),
            server.audit(),
            time);
    AuditTables.await(
        server
            .pool()
            .withTransaction(
                conn ->
                    conn.preparedQuery(FILED)
                        .execute(
                            Tuple.of(
                                approval.request().id(),
                                PROFILE,
                                Requests.ALICE.issuer(),
                                Requests.ALICE.subject(),
                                Requests.ALICE.email().orElseThrow(),
                                true))
                        .compose(x -> outbox.enqueue(conn, List.of(approval)))));

    assertThat(AuditTables.await(worker.drain())).as("nothing due at the approval").isZero();
    assertThat(AuditTables.await(outbox.backlog(time.instant())).pending())
        .as("scheduled, not waiting")
        .isZero();
    time.advance(GIVE_UP_AFTER.plusHours(1));
    assertThat(AuditTables.await(worker.drain())).as("nothing due a day later").isZero();
    assertThat(outboxStates()).containsExactly("pending");

    time.set(start);
    assertThat(AuditTables.await(worker.drain())).isEqualTo(1);

    assertThat(state("grt_ahead")).containsExactly("created");
    assertThat(sso.assignments()).containsExactly(assignmentOf(alice));
    assertThat(outboxStates()).containsExactly("done");
    assertThat(events("outbox.dead")).isEmpty();
  }

  private List<String> outboxStates() throws Exception {
    return AuditTables.strings(url, "SELECT state FROM outbox ORDER BY id");
  }
}
