package dev.stint.log;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.Optional;
import org.slf4j.event.KeyValuePair;

/**
 * Hands each log line to a background thread, so that an event loop does not wait on the
 * log's output (a pipe to a collector can stall for a long time) or spend its time encoding and
 * redacting. The request id lives on the Vert.x context of the logging thread, which the
 * background thread cannot see, so it is copied into the event before the hand-over.
 *
 * <p>Nothing is dropped while the server runs: when the queue is full the caller waits, as it
 * did when it wrote the line itself. The server stops the logging context on shutdown (see
 * {@link Logs#flush()}) so that queued lines are written before the process exits, for as long
 * as the appender's {@code maxFlushTime} allows.
 */
public final class ContextAsyncAppender extends AsyncAppender {
  static final String REQUEST_ID = "request_id";

  public ContextAsyncAppender() {
    setDiscardingThreshold(0);
    setNeverBlock(false);
    setIncludeCallerData(false);
  }

  @Override
  protected void preprocess(ILoggingEvent event) {
    Optional<String> id = RequestIds.current();
    if (id.isPresent() && event instanceof LoggingEvent logging) {
      logging.addKeyValuePair(new KeyValuePair(REQUEST_ID, id.get()));
    }
    super.preprocess(event);
  }
}
