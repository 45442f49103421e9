package dev.stint.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ContextAsyncAppenderTest {

  /** Encodes on the background thread, as the console appender behind it does. */
  static final class Lines extends AppenderBase<ILoggingEvent> {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final JsonLogEncoder encoder = new JsonLogEncoder();

    @Override
    protected void append(ILoggingEvent event) {
      lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
    }
  }

  static Logger logger(LoggerContext context, Lines lines, int queueSize) {
    context.setMDCAdapter(new LogbackMDCAdapter());
    lines.setContext(context);
    lines.start();
    ContextAsyncAppender async = new ContextAsyncAppender();
    async.setContext(context);
    async.setQueueSize(queueSize);
    async.addAppender(lines);
    async.start();
    Logger logger = context.getLogger("test.async");
    logger.addAppender(async);
    return logger;
  }

  @Test
  void aLineWrittenInTheBackgroundKeepsTheRequestIdOfTheContextThatLoggedIt() throws Exception {
    LoggerContext context = new LoggerContext();
    Lines lines = new Lines();
    Logger logger = logger(context, lines, 16);
    Vertx vertx = Vertx.vertx();
    try {
      ContextInternal request = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
      CountDownLatch logged = new CountDownLatch(2);
      request.runOnContext(v -> {
        RequestIds.bind("req-id-0123456789");
        logger.info("inside a request");
        logged.countDown();
      });
      vertx.runOnContext(v -> {
        logger.info("outside any request");
        logged.countDown();
      });
      assertThat(logged.await(10, TimeUnit.SECONDS)).isTrue();
      context.stop();
      assertThat(lines.lines).hasSize(2);
      JsonObject inside = lines.lines.stream().map(JsonObject::new)
          .filter(j -> j.getString("msg").equals("inside a request")).findFirst().orElseThrow();
      assertThat(inside.getString("request_id")).isEqualTo("req-id-0123456789");
      assertThat(inside.getString("thread")).startsWith("vert.x-eventloop");
      JsonObject outside = lines.lines.stream().map(JsonObject::new)
          .filter(j -> j.getString("msg").equals("outside any request")).findFirst().orElseThrow();
      assertThat(outside.containsKey("request_id")).isFalse();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A full queue makes the caller wait; no line, whatever its level, is discarded. */
  @Test
  void aFullQueueLosesNothingAndStoppingWritesWhatIsQueued() {
    LoggerContext context = new LoggerContext();
    Lines lines = new Lines();
    Logger logger = logger(context, lines, 4);
    for (int i = 0; i < 2_000; i++) {
      logger.info("line {}", i);
      logger.debug("debug {}", i);
    }
    context.stop();
    assertThat(lines.lines).hasSize(4_000);
    assertThat(new JsonObject(lines.lines.get(3_998)).getString("msg")).isEqualTo("line 1999");
  }
}
