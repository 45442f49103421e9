package dev.stint.checkpoint;

import dev.stint.config.CheckpointConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code every_events} events or {@code every_seconds} seconds (whichever comes first, and
 * only when the head moved), signs the chain head and writes it to every anchor. A failed write is
 * retried with back-off until the anchor has it; it never blocks the audit log itself.
 */
public final class Checkpointer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
  private static final long TICK_MS = 1_000;
  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final List<Duration> BACKOFF =
      List.of(
          Duration.ofSeconds(10),
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(15),
          Duration.ofHours(1));

  private final Vertx vertx;
  private final CheckpointStore store;
  private final CheckpointSigner signer;
  private final CheckpointConfig config;
  private final Map<String, Anchor> anchors;
  private final Clock clock;
  private Future<Optional<Checkpoint>> current;
  private final AtomicLong lastSeq = new AtomicLong();
  private final Counter failures;
  private long timer = -1;

  /** What the checkpointer works with. */
  record Parts(CheckpointStore store, CheckpointSigner signer, List<Anchor> anchors) {}

  Checkpointer(
      Vertx vertx, Parts parts, CheckpointConfig config, MeterRegistry meters, Clock clock) {
    this.vertx = vertx;
    this.store = parts.store();
    this.signer = parts.signer();
    this.config = config;
    this.anchors =
        parts.anchors().stream()
            .collect(Collectors.toUnmodifiableMap(Anchor::id, Function.identity()));
    this.clock = clock;
    this.failures =
        Counter.builder("stint_audit_checkpoint_write_failures_total")
            .description("Checkpoint writes to an anchor that failed (each is retried)")
            .register(meters);
    meters.gauge("stint_audit_checkpoint_seq", lastSeq);
  }

  public void start() {
    timer = vertx.setPeriodic(TICK_MS, id -> round());
  }

  /**
   * One round: sign a checkpoint if one is due, then deliver what anchors still lack. Rounds do not
   * overlap; one asked for while another runs gets that round's outcome.
   */
  public synchronized Future<Optional<Checkpoint>> round() {
    Future<Optional<Checkpoint>> running = current;
    if (running != null && !running.isComplete()) {
      return running;
    }
    Instant now = clock.instant();
    current =
        store
            .createIfDue(
                last -> head -> due(last, head, now), new ArrayList<>(anchors.keySet()), now)
            .compose(made -> deliver().map(made))
            .onSuccess(made -> made.ifPresent(c -> lastSeq.set(c.seq())))
            .onFailure(e -> LOG.warn("audit checkpoint round failed: {}", e.getMessage()));
    return current;
  }

  /** The checkpoint to sign now, if any: the head moved and enough events or time passed. */
  private Optional<Checkpoint> due(
      Optional<Checkpoint> last, CheckpointStore.Head head, Instant now) {
    if (last.isPresent()) {
      Checkpoint l = last.get();
      boolean moved = head.seq() > l.seq();
      boolean enough =
          head.seq() - l.seq() >= config.everyEvents()
              || !now.isBefore(l.time().plus(config.every()));
      if (!moved || !enough) {
        return Optional.empty();
      }
    }
    return Optional.of(signer.sign(head.seq(), head.hash(), now, last.map(Checkpoint::digest)));
  }

  private Future<Void> deliver() {
    Instant now = clock.instant();
    return store
        .claimDue(new ArrayList<>(anchors.keySet()), now, LEASE, 100)
        .compose(
            pending -> {
              Future<Void> chain = Future.succeededFuture();
              for (CheckpointStore.Pending p : pending) {
                chain = chain.compose(x -> deliverOne(p));
              }
              return chain;
            });
  }

  private Future<Void> deliverOne(CheckpointStore.Pending p) {
    Anchor anchor = anchors.get(p.anchor());
    return vertx
        .<Void>executeBlocking(
            () -> {
              anchor.write(p.checkpoint());
              return null;
            },
            false)
        .compose(
            x -> store.delivered(p, clock.instant()),
            e -> {
              failures.increment();
              Duration wait = BACKOFF.get(Math.min(p.attempts(), BACKOFF.size() - 1));
              LOG.warn(
                  "checkpoint {} not written to {} (attempt {}), retrying in {}s: {}",
                  p.checkpoint().seq(),
                  p.anchor(),
                  p.attempts() + 1,
                  wait.toSeconds(),
                  e.getMessage());
              return store.failed(p, String.valueOf(e.getMessage()), clock.instant().plus(wait));
            });
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    anchors
        .values()
        .forEach(
            a -> {
              if (a instanceof AutoCloseable c) {
                try {
                  c.close();
                } catch (Exception e) {
                  LOG.debug("closing {}: {}", a.id(), e.getMessage());
                }
              }
            });
  }
}
