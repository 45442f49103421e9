package dev.stint.log;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** The process's logging as a whole. */
public final class Logs {
  private Logs() {}

  /** {@code stint_log_lines_dropped_total}: lines the log output did not take in time. */
  public static void publish(MeterRegistry registry) {
    FunctionCounter.builder(
            "stint_log_lines_dropped_total",
            ContextAsyncAppender.class,
            c -> ContextAsyncAppender.droppedInProcess())
        .description("Log lines dropped because the log output stalled (the audit is unaffected)")
        .register(registry);
  }

  /**
   * Writes every queued line and stops logging: the last thing a process does before it exits,
   * since lines still queued for the background writer would otherwise be lost.
   */
  public static void flush() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      context.stop();
    }
  }
}
