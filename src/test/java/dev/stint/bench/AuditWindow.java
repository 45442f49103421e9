package dev.stint.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.concurrent.TimeUnit;

/**
 * The audit writer's meters over one bench window: the difference between two snapshots of the
 * server's {@code stint_audit_*} meters, so a window shows how long issuances waited for their
 * commit and how the batches behaved while it ran.
 */
final class AuditWindow {
  private final HistogramSnapshot waits;
  private final HistogramSnapshot batches;
  private final double events;

  private AuditWindow(HistogramSnapshot waits, HistogramSnapshot batches, double events) {
    this.waits = waits;
    this.batches = batches;
    this.events = events;
  }

  static AuditWindow snapshot(MeterRegistry meters) {
    return new AuditWindow(
        timer(meters, "stint.audit.wait").takeSnapshot(),
        timer(meters, "stint.audit.batch").takeSnapshot(),
        meters.get("stint.audit.batch.events").summary().totalAmount());
  }

  private static Timer timer(MeterRegistry meters, String name) {
    return meters.get(name).tag("outcome", "committed").timer();
  }

  /** One table row: batches/s, events per batch, mean and p99 batch, mean and p99 wait (ms). */
  String since(AuditWindow start, double seconds) {
    long batchCount = batches.count() - start.batches.count();
    long waitCount = waits.count() - start.waits.count();
    return String.format(
        "%10.0f %9.1f %9.1f %9.1f %9.1f %9.1f",
        batchCount / seconds,
        (events - start.events) / Math.max(1, batchCount),
        meanMillis(batches, start.batches, batchCount),
        p99Millis(batches, start.batches),
        meanMillis(waits, start.waits, waitCount),
        p99Millis(waits, start.waits));
  }

  static String header() {
    return String.format(
        "%10s %9s %9s %9s %9s %9s",
        "batches/s", "ev/batch", "batch ms", "b p99 <=", "wait ms", "w p99 <=");
  }

  private static double meanMillis(HistogramSnapshot end, HistogramSnapshot start, long count) {
    return (end.total(TimeUnit.MILLISECONDS) - start.total(TimeUnit.MILLISECONDS))
        / Math.max(1, count);
  }

  /** The upper bound of the bucket the 99th percentile falls in (the buckets are cumulative). */
  private static double p99Millis(HistogramSnapshot end, HistogramSnapshot start) {
    CountAtBucket[] e = end.histogramCounts();
    CountAtBucket[] s = start.histogramCounts();
    double total = end.count() - start.count();
    if (total == 0) {
      return Double.NaN; // nothing was recorded in the window
    }
    for (int i = 0; i < e.length; i++) {
      if (e[i].count() - s[i].count() >= 0.99 * total) {
        return e[i].bucket(TimeUnit.MILLISECONDS);
      }
    }
    return Double.POSITIVE_INFINITY;
  }
}
