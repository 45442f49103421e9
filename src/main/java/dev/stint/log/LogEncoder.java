package dev.stint.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.Locale;

/**
 * The server's encoder, in the format logback.xml names ({@code STINT_LOG_FORMAT}): {@code json}
 * (the default: one JSON object a line, for log shippers) or {@code text} (lines for a person at a
 * terminal, which {@code make run} chooses). One appender whose encoder switches, rather than two
 * appenders of which one is left unused, which logback would warn about on the first screen.
 */
public final class LogEncoder extends EncoderBase<ILoggingEvent> {
  /** The formats {@code STINT_LOG_FORMAT} may name. */
  public static final String JSON = "json";

  public static final String TEXT = "text";

  private Encoder<ILoggingEvent> format = new JsonLogEncoder();

  /** Set by logback from {@code <format>}: {@code text}, else JSON. */
  public void setFormat(String name) {
    format =
        TEXT.equals(name == null ? "" : name.strip().toLowerCase(Locale.ROOT))
            ? new TextLogEncoder()
            : new JsonLogEncoder();
  }

  /** Whether {@code name} is a format {@code STINT_LOG_FORMAT} may name. */
  public static boolean known(String name) {
    return JSON.equals(name) || TEXT.equals(name);
  }

  @Override
  public byte[] headerBytes() {
    return format.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return format.encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return format.footerBytes();
  }
}
