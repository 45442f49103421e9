package dev.stint.db;

import static dev.stint.testing.AuditTables.await;
import static dev.stint.testing.AuditTables.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.Patience;
import io.netty.buffer.Unpooled;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One wait with a deadline: the answer in time, or {@link Unanswered} at the deadline. */
class DeadlineTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void anAnswerInTimeIsTheOutcomeAndNothingExpires() throws Exception {
    AtomicInteger expired = new AtomicInteger();
    Promise<String> work = Promise.promise();
    var outcome = Deadline.of(vertx, 5_000, "a statement", work.future(), expired::incrementAndGet);
    work.complete("answer");
    assertThat(await(outcome)).isEqualTo("answer");
    assertThat(expired).hasValue(0);
  }

  @Test
  void noAnswerFailsAtTheDeadlineOnceAndALateAnswerIsHandedOn() throws Exception {
    AtomicInteger expired = new AtomicInteger();
    CompletableFuture<String> late = new CompletableFuture<>();
    Promise<String> work = Promise.promise();
    long started = System.nanoTime();
    var outcome =
        Deadline.of(
            vertx, 200, "a statement", work.future(), expired::incrementAndGet, late::complete);
    Throwable failed = failure(outcome);
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(failed)
        .isInstanceOf(Unanswered.class)
        .hasMessage("the database did not answer a statement within 200 ms");
    assertThat(Reachability.unreachable(failed)).as("a 503 to its caller").isTrue();
    assertThat(took).isGreaterThanOrEqualTo(150L);
    assertThat(expired).hasValue(1);

    work.complete("too late");
    assertThat(late.get(Patience.seconds(5), TimeUnit.MILLISECONDS)).isEqualTo("too late");
    assertThat(expired).hasValue(1);
  }

  @Test
  void aFailureInTimeIsTheOutcome() throws Exception {
    Promise<String> work = Promise.promise();
    var outcome = Deadline.of(vertx, 5_000, "a statement", work.future(), () -> {});
    IllegalStateException boom = new IllegalStateException("boom");
    work.fail(boom);
    assertThat(failure(outcome)).isSameAs(boom);
  }

  @Test
  void deadlinesAreShownAsSet() {
    assertThat(Deadline.shown(5_000)).isEqualTo("5 s");
    assertThat(Deadline.shown(1_500)).isEqualTo("1500 ms");
  }

  @Test
  void theKeepaliveTimingsFollowTheOneSetting() {
    DatabaseTimeouts t = DatabaseTimeouts.DEFAULTS;
    assertThat(t.keepaliveIdleSeconds()).isEqualTo(10);
    assertThat(t.keepaliveIntervalSeconds()).isEqualTo(3);
    assertThat(t.tcpUserTimeoutMillis()).isEqualTo(19_000);
    DatabaseTimeouts shortest =
        new DatabaseTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertThat(shortest.keepaliveIntervalSeconds()).isEqualTo(1);
  }

  @Test
  void onlyTerminateEndsAGoodbye() {
    assertThat(Link.endsWithTerminate(Unpooled.wrappedBuffer(new byte[] {'X', 0, 0, 0, 4})))
        .isTrue();
    assertThat(
            Link.endsWithTerminate(
                Unpooled.wrappedBuffer(new byte[] {'S', 0, 0, 0, 4, 'X', 0, 0, 0, 4})))
        .isTrue();
    // Sync, the end of every extended query.
    assertThat(Link.endsWithTerminate(Unpooled.wrappedBuffer(new byte[] {'S', 0, 0, 0, 4})))
        .isFalse();
    // A simple query ends with its text's NUL.
    byte[] query = "Q\0\0\0\rSELECT X\0".getBytes(StandardCharsets.US_ASCII);
    assertThat(Link.endsWithTerminate(Unpooled.wrappedBuffer(query))).isFalse();
    assertThat(Link.endsWithTerminate(Unpooled.wrappedBuffer(new byte[] {0, 0, 4}))).isFalse();
  }
}
