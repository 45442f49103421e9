package dev.stint.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Connections refused at the cap. Every one is counted, but at most one log line goes out per
 * interval: a flood of connections from outside must not push everything else out of a slow log
 * output.
 */
final class RefusedConnections {
  static final Duration LINE_EVERY = Duration.ofSeconds(10);

  private final LongSupplier nanoTime;
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong sinceLine = new AtomicLong();
  private final AtomicLong nextLine;

  RefusedConnections(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.nextLine = new AtomicLong(nanoTime.getAsLong());
  }

  /**
   * Counts one refusal. Returns how many refusals a log line should report now (this one and those
   * not yet reported), or 0 when a line went out less than an interval ago.
   */
  long refused() {
    total.incrementAndGet();
    sinceLine.incrementAndGet();
    long now = nanoTime.getAsLong();
    long next = nextLine.get();
    if (now - next < 0 || !nextLine.compareAndSet(next, now + LINE_EVERY.toNanos())) {
      return 0;
    }
    return sinceLine.getAndSet(0);
  }

  /** Every refusal since the server started. */
  long total() {
    return total.get();
  }
}
