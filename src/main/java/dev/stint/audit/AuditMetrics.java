package dev.stint.audit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the group-commit writer costs the callers that wait on it, for {@code /metrics}. Every
 * issuance waits for its event's commit, so {@code stint_audit_wait_seconds} is the part of its
 * latency spent on durability; {@code stint_audit_batch_seconds} shows whether that is the batch
 * itself (the database's commits) or the queue behind it. The histograms are published as buckets,
 * so a dashboard can take {@code histogram_quantile} over any window.
 */
final class AuditMetrics {
  private static final Duration SHORTEST = Duration.ofMillis(1);

  private final Timer committedBatch;
  private final Timer failedBatch;
  private final DistributionSummary batchEvents;
  private final Timer committedWait;
  private final Timer failedWait;

  AuditMetrics(MeterRegistry registry, Duration timeout, Supplier<Number> queued) {
    Duration longest = timeout.compareTo(SHORTEST) > 0 ? timeout : SHORTEST;
    String batch =
        "One audit batch, from taking a connection to the COMMIT's answer (or the" + " failure)";
    String wait =
        "One audit event, from its append to its batch's outcome: the time a caller"
            + " waits for its record to be durable";
    committedBatch = histogram(registry, "stint.audit.batch", batch, "committed", longest);
    failedBatch = histogram(registry, "stint.audit.batch", batch, "failed", longest);
    committedWait = histogram(registry, "stint.audit.wait", wait, "committed", longest);
    failedWait = histogram(registry, "stint.audit.wait", wait, "failed", longest);
    batchEvents =
        DistributionSummary.builder("stint.audit.batch.events")
            .description("Audit events written in one transaction")
            .baseUnit("events")
            .register(registry);
    Gauge.builder("stint.audit.queue", queued)
        .description("Audit events waiting for the batch being written to finish")
        .baseUnit("events")
        .register(registry);
  }

  /** Buckets from 1 ms to the audit timeout, past which an event has failed anyway. */
  private static Timer histogram(
      MeterRegistry registry, String name, String description, String outcome, Duration longest) {
    return Timer.builder(name)
        .description(description)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(SHORTEST)
        .maximumExpectedValue(longest)
        .register(registry);
  }

  void batch(int events, long startedNanos, long endedNanos, boolean committed) {
    (committed ? committedBatch : failedBatch)
        .record(endedNanos - startedNanos, TimeUnit.NANOSECONDS);
    batchEvents.record(events);
  }

  void waited(long appendedNanos, long endedNanos, boolean committed) {
    (committed ? committedWait : failedWait)
        .record(endedNanos - appendedNanos, TimeUnit.NANOSECONDS);
  }
}
