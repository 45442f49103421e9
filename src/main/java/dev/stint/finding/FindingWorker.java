package dev.stint.finding;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the judging on one context of its own: poked after each keep commits (so a pushed call's
 * finding is raised within moments) and every {@link #POLL} besides (calls another replica kept, a
 * batch a stopped replica left), it judges batch after batch until none is left. When another
 * replica has the turn, it looks again shortly: that replica drains what this one kept. Once an
 * hour it drops baselines no rule reads any more.
 */
public final class FindingWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FindingWorker.class);
  static final Duration POLL = Duration.ofSeconds(1);
  static final Duration BUSY_AGAIN = Duration.ofMillis(250);
  static final Duration PRUNE_EVERY = Duration.ofHours(1);

  private final Vertx vertx;
  private final Context context;
  private final Judging judging;
  private final Pool pool;
  private final Runnable raised;
  private final Clock clock;
  private final AtomicLong judged = new AtomicLong();
  private final AtomicLong findings = new AtomicLong();
  private boolean running;
  private boolean again;
  private volatile boolean stopping;
  private long poll = -1;
  private long prune = -1;

  /** {@code raised}: told after a batch that raised findings commits (the outbox's poke). */
  FindingWorker(Vertx vertx, Judging judging, Pool pool, Runnable raised, Clock clock) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.judging = judging;
    this.pool = pool;
    this.raised = raised;
    this.clock = clock;
  }

  public void start() {
    poll = vertx.setPeriodic(POLL.toMillis(), t -> poke());
    prune = vertx.setPeriodic(PRUNE_EVERY.toMillis(), t -> prune());
  }

  /** Judges what is queued now; returns at once, from any thread. */
  public void poke() {
    if (!stopping) {
      context.runOnContext(v -> drain());
    }
  }

  /** Calls judged and findings raised on this replica since it started. */
  public long judged() {
    return judged.get();
  }

  public long raised() {
    return findings.get();
  }

  private void drain() {
    if (stopping) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    // The answer comes back on the pool's context: back to this one, where the flags live.
    judging.once().onComplete(done -> context.runOnContext(v -> finished(done)));
  }

  private void finished(AsyncResult<Judging.Round> done) {
    running = false;
    if (done.failed()) {
      LOG.warn("judging calls for findings: {}", done.cause().toString());
      return;
    }
    Judging.Round round = done.result();
    judged.addAndGet(round.judged());
    findings.addAndGet(round.raised());
    if (round.raised() > 0) {
      raised.run();
    }
    if (round.busy()) {
      vertx.setTimer(BUSY_AGAIN.toMillis(), t -> poke());
    } else if (round.judged() > 0 || again) {
      drain();
    }
  }

  private void prune() {
    BaselineWrites.prune(pool, clock.instant())
        .onFailure(e -> LOG.warn("pruning the findings' baselines: {}", e.toString()));
  }

  @Override
  public void close() {
    stopping = true;
    if (poll >= 0) {
      vertx.cancelTimer(poll);
    }
    if (prune >= 0) {
      vertx.cancelTimer(prune);
    }
  }
}
