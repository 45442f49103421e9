package dev.stint.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.stint.common.SecretShapes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.slf4j.event.KeyValuePair;

/**
 * One line a person reads on a terminal: {@code 10:15:02.123 INFO Server stint listening on …
 * request_id=… key=value}, the error's stack trace indented below it. For {@code make run} ({@code
 * STINT_LOG_FORMAT=text}); production keeps {@link JsonLogEncoder}, which shippers parse. It
 * redacts as the JSON encoder does, and writes a line break or other control character inside a
 * message as a visible escape, so no text a caller sent can forge a line of its own.
 */
public final class TextLogEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] NONE = new byte[0];
  // A cause chain that loops is cut here.
  private static final int MAX_CAUSES = 20;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(160);
    line.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ');
    String level = event.getLevel().toString();
    line.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
    line.append(shortName(event.getLoggerName())).append("  ");
    line.append(oneLine(event.getFormattedMessage()));
    String requestId = RequestIds.current().orElse(null);
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        if (kv.key.equals(ContextAsyncAppender.REQUEST_ID)) {
          requestId = requestId == null ? String.valueOf(kv.value) : requestId;
          continue;
        }
        line.append(' ').append(kv.key).append('=').append(value(String.valueOf(kv.value)));
      }
    }
    if (requestId != null) {
      line.append(" request_id=").append(value(requestId));
    }
    line.append('\n');
    trace(line, event.getThrowableProxy());
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The error and its causes, a line each with its frames below: a line break inside an error's
   * message (which may hold what a caller sent) is escaped like any other, never a line of its own.
   */
  private static void trace(StringBuilder out, IThrowableProxy error) {
    String prefix = "";
    IThrowableProxy t = error;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      String message = t.getMessage() == null ? "" : ": " + t.getMessage();
      out.append("    ").append(oneLine(prefix + t.getClassName() + message)).append('\n');
      for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
        out.append("        ").append(oneLine(frame.getSTEAsString())).append('\n');
      }
      prefix = "Caused by: ";
    }
  }

  /**
   * A field's value, quoted when a space, {@code =} or quote in it could pass for another field.
   */
  private static String value(String text) {
    String safe = oneLine(text);
    if (safe.isEmpty() || safe.chars().anyMatch(c -> c == ' ' || c == '=' || c == '"')) {
      return '"' + safe.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
    return safe;
  }

  /** {@code dev.stint.app.Server} as {@code Server}: the package is noise on a terminal. */
  private static String shortName(String logger) {
    return logger.substring(logger.lastIndexOf('.') + 1);
  }

  private static String oneLine(String text) {
    String safe = redacted(text);
    StringBuilder out = new StringBuilder(safe.length());
    for (int i = 0; i < safe.length(); i++) {
      char c = safe.charAt(i);
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String redacted(String text) {
    return SecretShapes.redact(text, part -> "[redacted]");
  }
}
