package dev.stint.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import dev.stint.testing.Eventually;
import dev.stint.testing.Patience;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ContextAsyncAppenderTest {

  /** Encodes on the background thread, as the console appender behind it does. */
  static class Lines extends AppenderBase<ILoggingEvent> {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final JsonLogEncoder encoder = new JsonLogEncoder();

    @Override
    protected void append(ILoggingEvent event) {
      lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
    }
  }

  /** An output that stops taking lines until it is released: a collector that stopped reading. */
  static final class Stalled extends Lines {
    final CountDownLatch released = new CountDownLatch(1);
    final CountDownLatch holding = new CountDownLatch(1);

    @Override
    protected void append(ILoggingEvent event) {
      holding.countDown();
      try {
        released.await();
        // Slow once released, so that a burst still fills the queue.
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.append(event);
    }
  }

  static Logger logger(LoggerContext context, Lines lines, int queueSize) {
    return logger(context, lines, new ContextAsyncAppender(), queueSize);
  }

  static Logger logger(
      LoggerContext context, Lines lines, ContextAsyncAppender async, int queueSize) {
    context.setMDCAdapter(new LogbackMDCAdapter());
    lines.setContext(context);
    lines.start();
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
      request.runOnContext(
          v -> {
            RequestIds.bind("req-id-0123456789");
            logger.info("inside a request");
            logged.countDown();
          });
      vertx.runOnContext(
          v -> {
            logger.info("outside any request");
            logged.countDown();
          });
      assertThat(logged.await(Patience.seconds(10), TimeUnit.MILLISECONDS)).isTrue();
      context.stop();
      assertThat(lines.lines).hasSize(2);
      JsonObject inside =
          lines.lines.stream()
              .map(JsonObject::new)
              .filter(j -> j.getString("msg").equals("inside a request"))
              .findFirst()
              .orElseThrow();
      assertThat(inside.getString("request_id")).isEqualTo("req-id-0123456789");
      assertThat(inside.getString("thread")).startsWith("vert.x-eventloop");
      JsonObject outside =
          lines.lines.stream()
              .map(JsonObject::new)
              .filter(j -> j.getString("msg").equals("outside any request"))
              .findFirst()
              .orElseThrow();
      assertThat(outside.containsKey("request_id")).isFalse();
    } finally {
      vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    }
  }

  /** While the output keeps up, a full queue makes the caller wait: no line is discarded. */
  @Test
  void aFullQueueLosesNothingAndStoppingWritesWhatIsQueued() {
    LoggerContext context = new LoggerContext();
    Lines lines = new Lines();
    ContextAsyncAppender async = patient();
    Logger logger = logger(context, lines, async, 4);
    for (int i = 0; i < 2_000; i++) {
      logger.info("line {}", i);
      logger.debug("debug {}", i);
    }
    context.stop();
    assertThat(lines.lines).hasSize(4_000);
    assertThat(new JsonObject(lines.lines.get(3_998)).getString("msg")).isEqualTo("line 1999");
  }

  /**
   * An output that stops taking lines does not stop the callers: the first line that finds no room
   * waits its bound and is dropped, later ones are dropped at once, each counted; once the output
   * catches up, the queued lines are written, then a warning with the count, and callers wait for
   * room again.
   */
  @Test
  void aStalledOutputDropsAndCountsLinesInsteadOfHoldingUpTheCallers() throws Exception {
    LoggerContext context = new LoggerContext();
    Stalled stalled = new Stalled();
    ContextAsyncAppender async = new ContextAsyncAppender();
    async.setRoomWaitMillis(200);
    long droppedBefore = ContextAsyncAppender.droppedInProcess();
    Logger logger = logger(context, stalled, async, 4);
    logger.info("line 0");
    assertThat(stalled.holding.await(Patience.seconds(30), TimeUnit.MILLISECONDS)).isTrue();
    runToTheEnd(
        () -> {
          for (int i = 1; i < 1_000; i++) {
            logger.info("line {}", i);
          }
        });
    // One line is with the stalled output, four are queued; the rest were dropped.
    assertThat(async.dropped()).isEqualTo(995);
    assertThat(ContextAsyncAppender.droppedInProcess() - droppedBefore).isEqualTo(995);

    stalled.released.countDown();
    // Caught up: the five lines and the warning are written.
    Eventually.until(
        "the five lines and the warning written",
        Duration.ofSeconds(30),
        () -> stalled.lines.size() >= 6);
    // A burst into the slow output now waits for room again: nothing more is dropped.
    runToTheEnd(
        () -> {
          for (int i = 0; i < 50; i++) {
            logger.info("after the stall {}", i);
          }
        });
    context.stop();
    assertThat(async.dropped()).isEqualTo(995);
    List<String> messages =
        stalled.lines.stream().map(l -> new JsonObject(l).getString("msg")).toList();
    assertThat(messages)
        .containsSubsequence(
            "line 0",
            "line 4",
            "995 log line(s) dropped: the log output did not take them in time"
                + " (stint_log_lines_dropped_total)",
            "after the stall 0",
            "after the stall 49");
    assertThat(messages).hasSize(56);
  }

  /** An event loop never waits for room: a loop held up holds every request on it. */
  @Test
  void anEventLoopDropsAtOnceWhenTheQueueIsFull() throws Exception {
    LoggerContext context = new LoggerContext();
    Stalled stalled = new Stalled();
    ContextAsyncAppender async = new ContextAsyncAppender();
    // A caller that waited would outlast the test's bound many times over.
    async.setRoomWaitMillis(TimeUnit.MINUTES.toMillis(10));
    Logger logger = logger(context, stalled, async, 2);
    logger.info("held");
    assertThat(stalled.holding.await(Patience.seconds(30), TimeUnit.MILLISECONDS)).isTrue();
    logger.info("queued 1");
    logger.info("queued 2");
    Vertx vertx = Vertx.vertx();
    try {
      CountDownLatch logged = new CountDownLatch(1);
      vertx.runOnContext(
          v -> {
            logger.info("from an event loop");
            logged.countDown();
          });
      assertThat(logged.await(Patience.seconds(30), TimeUnit.MILLISECONDS))
          .as("the event loop waited")
          .isTrue();
      assertThat(async.dropped()).isOne();
    } finally {
      stalled.released.countDown();
      context.stop();
      vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    }
    assertThat(stalled.lines.stream().map(l -> new JsonObject(l).getString("msg")).toList())
        .containsExactly(
            "held",
            "queued 1",
            "queued 2",
            "1 log line(s) dropped: the log output did not take them in time"
                + " (stint_log_lines_dropped_total)");
  }

  /** An interrupted caller's line is queued like any other, and the interrupt is kept. */
  @Test
  void anInterruptedCallerLosesNoLineAndKeepsItsInterrupt() {
    LoggerContext context = new LoggerContext();
    Lines lines = new Lines();
    ContextAsyncAppender async = patient();
    Logger logger = logger(context, lines, async, 2);
    Thread.currentThread().interrupt();
    try {
      for (int i = 0; i < 200; i++) {
        logger.info("interrupted {}", i);
      }
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    context.stop();
    assertThat(async.dropped()).isZero();
    assertThat(lines.lines).hasSize(200);
  }

  /** Waits for room far longer than a busy machine could keep the writer from its next line. */
  private static ContextAsyncAppender patient() {
    ContextAsyncAppender async = new ContextAsyncAppender();
    async.setRoomWaitMillis(TimeUnit.MINUTES.toMillis(5));
    return async;
  }

  /** Runs {@code work} on a thread of its own and fails if it has not ended within the bound. */
  private static void runToTheEnd(Runnable work) throws InterruptedException {
    Thread caller = new Thread(work);
    caller.start();
    caller.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(caller.isAlive()).as("the caller was held up by the log output").isFalse();
  }
}
