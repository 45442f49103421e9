package dev.stint.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stint.common.SecretShapes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: {@code ts, level, logger, msg, request_id, thread}, then any SLF4J
 * key-value pairs, then {@code error} with the stack trace. Log shippers read it as is.
 *
 * <p>Messages, values and errors can carry what a caller sent (a user agent, a profile name, a
 * request id from the URL); any part of them shaped like a secret is written as {@code [redacted]},
 * so a pasted key or token never reaches the log pipeline.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] NONE = new byte[0];
  private static final String REDACTED = "[redacted]";
  private final JsonFactory json = new JsonFactory();

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
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      g.writeStringField("level", event.getLevel().toString());
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("msg", redacted(event.getFormattedMessage()));
      // Written on the logging thread, the id is on its context; written in the background,
      // the appender copied it into the event first.
      String requestId = RequestIds.current().orElse(carried(event));
      if (requestId != null) {
        g.writeStringField("request_id", requestId);
      }
      g.writeStringField("thread", event.getThreadName());
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair kv : event.getKeyValuePairs()) {
          if (kv.key.equals(ContextAsyncAppender.REQUEST_ID)) {
            continue;
          }
          g.writeStringField(kv.key, redacted(String.valueOf(kv.value)));
        }
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        g.writeStringField("error", redacted(ThrowableProxyUtil.asString(error)));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** The id the background appender copied into the event, if it did. */
  private static String carried(ILoggingEvent event) {
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        if (kv.key.equals(ContextAsyncAppender.REQUEST_ID)) {
          return String.valueOf(kv.value);
        }
      }
    }
    return null;
  }

  private static String redacted(String text) {
    return SecretShapes.redact(text, part -> REDACTED);
  }
}
