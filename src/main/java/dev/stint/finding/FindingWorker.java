package dev.stint.finding;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the judging on one context of its own: poked after each keep commits (so a pushed call's
 * finding is raised within moments) and every {@link #POLL} besides (calls another replica kept, a
 * batch a stopped replica left), it judges batch after batch until none is left. A poke judges what
 * was kept {@link #GATHER} later, not at once: under a steady ingest each round then judges the
 * calls of that while together, not one or two, and a round's fixed cost (its transaction, the
 * turn, the baselines' reads and writes) is paid a few times a second rather than per call. A full
 * batch is followed at once by the next. When another replica has the turn, it looks again shortly:
 * that replica drains what this one kept. Once an hour it drops baselines no rule reads any more.
 *
 * <p>A batch that fails is judged again one call at a time, so that a call that cannot be judged (a
 * poison call) is found and set aside ({@link SetAside}) while the calls around it are judged: one
 * such call never blocks the queue. Setting aside stops after {@link #MAX_IN_A_ROW} calls with none
 * judged between them: every call failing is the judging's fault, not theirs, and they wait.
 */
public final class FindingWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FindingWorker.class);
  static final Duration POLL = Duration.ofSeconds(1);
  static final Duration BUSY_AGAIN = Duration.ofMillis(250);
  static final Duration GATHER = Duration.ofMillis(200);
  static final Duration PRUNE_EVERY = Duration.ofHours(1);

  /** Calls set aside with none judged between them, after which none more is. */
  static final int MAX_IN_A_ROW = 10;

  private final Vertx vertx;
  private final Context context;
  private final Judging judging;
  private final Pool pool;
  private final Runnable raised;
  private final Clock clock;
  private final AtomicLong judged = new AtomicLong();
  private final AtomicLong findings = new AtomicLong();
  private final AtomicLong setAsideHere = new AtomicLong();
  private final SetAside setAside;
  private volatile long setAsideTotal;
  private int alone;
  private int inARow;
  private boolean running;
  private boolean again;
  private boolean gathering;
  private int limit;
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
    this.setAside = new SetAside(pool);
  }

  public void start() {
    countSetAside();
    poll = vertx.setPeriodic(POLL.toMillis(), t -> poke());
    prune = vertx.setPeriodic(PRUNE_EVERY.toMillis(), t -> prune());
  }

  /** Judges what is queued {@link #GATHER} from now; returns at once, from any thread. */
  public void poke() {
    if (!stopping) {
      context.runOnContext(v -> gather());
    }
  }

  private void gather() {
    if (gathering || stopping) {
      return;
    }
    gathering = true;
    vertx.setTimer(
        GATHER.toMillis(),
        t -> {
          gathering = false;
          drain();
        });
  }

  /** Calls judged and findings raised on this replica since it started. */
  public long judged() {
    return judged.get();
  }

  public long raised() {
    return findings.get();
  }

  /** Calls this replica set aside since it started. */
  public long setAside() {
    return setAsideHere.get();
  }

  /**
   * What an operator should hear: calls set aside, on every replica, as last counted (at start and
   * after each set aside here).
   */
  public Optional<String> warning() {
    long n = setAsideTotal;
    return n == 0
        ? Optional.empty()
        : Optional.of(
            n
                + " kept call"
                + (n == 1 ? " was" : "s were")
                + " set aside: the finding rules could not judge "
                + (n == 1 ? "it" : "them")
                + " (table finding_set_aside, docs/findings.md)");
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
    limit = alone > 0 ? 1 : CallQueue.BATCH;
    // The answer comes back on the pool's context: back to this one, where the flags live.
    judging.once(limit).onComplete(done -> context.runOnContext(v -> finished(done)));
  }

  private void finished(AsyncResult<Judging.Round> done) {
    running = false;
    if (done.failed()) {
      failed(done.cause());
      return;
    }
    Judging.Round round = done.result();
    if (round.judged() > 0) {
      setAside.clear();
      inARow = 0;
      alone = Math.max(0, alone - 1);
    } else if (!round.busy()) {
      alone = 0;
    }
    judged.addAndGet(round.judged());
    findings.addAndGet(round.raised());
    if (round.raised() > 0) {
      raised.run();
    }
    if (round.busy()) {
      vertx.setTimer(BUSY_AGAIN.toMillis(), t -> poke());
    } else if (round.judged() >= limit) {
      drain();
    } else if (again) {
      gather();
    }
  }

  /**
   * A round failed: a batch is judged again a call at a time; a call that failed alone is set aside
   * when {@link SetAside} says so, and the next judged at once.
   */
  private void failed(Throwable cause) {
    List<Long> claimed = cause instanceof Judging.Failed f ? f.claimed() : List.of();
    if (claimed.size() > 1) {
      LOG.warn(
          "judging {} calls for findings failed ({}): judging them one at a time",
          claimed.size(),
          cause.getMessage());
      alone = claimed.size();
      drain();
      return;
    }
    if (claimed.isEmpty() || inARow >= MAX_IN_A_ROW) {
      LOG.warn(
          "judging calls for findings{}: {}",
          claimed.isEmpty() ? "" : " (every call fails, none is set aside)",
          cause.getMessage());
      return;
    }
    long seq = claimed.get(0);
    running = true;
    setAside
        .failed(seq, cause, clock.instant())
        .onComplete(done -> context.runOnContext(v -> setAsideDone(seq, cause, done)));
  }

  private void setAsideDone(long seq, Throwable cause, AsyncResult<Boolean> done) {
    running = false;
    if (done.failed()) {
      LOG.warn("judging call {} for findings: {}", seq, cause.getMessage());
      return;
    }
    if (!done.result()) {
      LOG.warn(
          "judging call {} for findings failed, to be tried again: {}", seq, cause.getMessage());
      return;
    }
    LOG.error("call {} could not be judged and is set aside: {}", seq, cause.getMessage());
    setAsideHere.incrementAndGet();
    inARow++;
    alone = Math.max(0, alone - 1);
    countSetAside();
    drain();
  }

  private void countSetAside() {
    setAside
        .count()
        .onSuccess(n -> setAsideTotal = n)
        .onFailure(e -> LOG.warn("counting the calls set aside: {}", e.toString()));
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
