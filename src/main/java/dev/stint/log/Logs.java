package dev.stint.log;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** The process's logging as a whole. */
public final class Logs {
  private Logs() {}

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
