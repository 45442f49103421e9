package dev.stint.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import io.vertx.core.Context;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.event.KeyValuePair;

/**
 * Hands each log line to a background thread, so that an event loop does not wait on the log's
 * output (a pipe to a collector can stall for a long time) or spend its time encoding and
 * redacting. The request id lives on the Vert.x context of the logging thread, which the background
 * thread cannot see, so it is copied into the event before the hand-over.
 *
 * <p>A burst off the event loops loses nothing: when the queue is full the caller waits for room,
 * up to {@code roomWaitMillis}. An output that stops taking lines for longer than that (a collector
 * that no longer reads the pipe, a writer thread that died) must not stop the server with it: the
 * line is dropped and counted, and until the writer has drained half the queue later lines are
 * dropped at once when they find it full instead of each waiting. An event loop never waits: a loop
 * held for a second holds every request on it, issuances included. The audit log, in Postgres, is
 * the record; these lines are diagnostics. When the output catches up, a warning says how many were
 * lost, and {@code stint_log_lines_dropped_total} counts them. An interrupt never costs a line. The
 * server stops the logging context on shutdown (see {@link Logs#flush()}) so that queued lines are
 * written before the process exits, for as long as {@code maxFlushTime} allows.
 */
public final class ContextAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements AppenderAttachable<ILoggingEvent> {
  static final String REQUEST_ID = "request_id";
  private static final AtomicLong DROPPED_IN_PROCESS = new AtomicLong();

  private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
  private final AtomicLong dropped = new AtomicLong();

  /** Dropped lines not yet reported in the log itself. */
  private final AtomicLong unreported = new AtomicLong();

  private int queueSize = 256;
  private int maxFlushTime = 1_000;
  private long roomWaitMillis = 1_000;
  private BlockingQueue<ILoggingEvent> queue;
  private Thread writer;

  /** Set when a line found no room in time; cleared once the writer has drained half the queue. */
  private volatile boolean stalled;

  /** Lines every instance in this process dropped: what the server's metric reads. */
  public static long droppedInProcess() {
    return DROPPED_IN_PROCESS.get();
  }

  /** Lines this appender dropped. */
  long dropped() {
    return dropped.get();
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  public void setMaxFlushTime(int maxFlushTime) {
    this.maxFlushTime = maxFlushTime;
  }

  public void setRoomWaitMillis(long roomWaitMillis) {
    this.roomWaitMillis = roomWaitMillis;
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    if (queueSize < 1) {
      addError("queueSize must be at least 1, was " + queueSize);
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    stalled = false;
    writer = new Thread(this::write, "stint-log-writer");
    writer.setDaemon(true);
    super.start();
    writer.start();
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    writer.interrupt();
    boolean interrupted = Thread.interrupted();
    try {
      writer.join(maxFlushTime);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (writer.isAlive()) {
      addWarn("log lines still queued after " + maxFlushTime + " ms were not written");
    } else {
      // A caller that got past isStarted() as the writer finished.
      drain();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    appenders.detachAndStopAllAppenders();
  }

  @Override
  protected void append(ILoggingEvent event) {
    Optional<String> id = RequestIds.current();
    if (id.isPresent() && event instanceof LoggingEvent logging) {
      logging.addKeyValuePair(new KeyValuePair(REQUEST_ID, id.get()));
    }
    // The message, thread name and MDC as they are now, not when the writer gets to them.
    event.prepareForDeferredProcessing();
    if (queue.offer(event)) {
      return;
    }
    if (stalled || Context.isOnEventLoopThread() || !offerWithin(event, roomWaitMillis)) {
      stalled = true;
      dropped.incrementAndGet();
      unreported.incrementAndGet();
      DROPPED_IN_PROCESS.incrementAndGet();
    }
  }

  /** Waits for room up to {@code millis}; an interrupt is kept for the caller, not obeyed here. */
  private boolean offerWithin(ILoggingEvent event, long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    boolean interrupted = false;
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        try {
          return left > 0 && queue.offer(event, left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void write() {
    while (isStarted()) {
      try {
        ILoggingEvent event = queue.take();
        if (stalled && queue.size() <= queueSize / 2) {
          stalled = false;
        }
        writeOne(event);
        // After the lines that were queued before the drops, where the gap is.
        if (queue.isEmpty()) {
          reportDropped();
        }
      } catch (InterruptedException e) {
        break;
      }
    }
    drain();
  }

  /** Stopping: what is queued is still written (within maxFlushTime, bounded by the join). */
  private void drain() {
    for (ILoggingEvent event = queue.poll(); event != null; event = queue.poll()) {
      writeOne(event);
    }
    reportDropped();
  }

  /** One line; whatever an output throws, the writer goes on to the next. */
  private void writeOne(ILoggingEvent event) {
    try {
      appenders.appendLoopOnAppenders(event);
    } catch (RuntimeException | Error e) {
      addError("a log line could not be written", e);
    }
  }

  private void reportDropped() {
    if (unreported.get() == 0 || !(getContext() instanceof LoggerContext context)) {
      return;
    }
    long n = unreported.getAndSet(0);
    LoggingEvent warning =
        new LoggingEvent(
            ContextAsyncAppender.class.getName(),
            context.getLogger(ContextAsyncAppender.class),
            Level.WARN,
            n
                + " log line(s) dropped:"
                + " the log output did not take them in time (stint_log_lines_dropped_total)",
            null,
            null);
    warning.prepareForDeferredProcessing();
    appenders.appendLoopOnAppenders(warning);
  }

  @Override
  public void addAppender(Appender<ILoggingEvent> appender) {
    appenders.addAppender(appender);
  }

  @Override
  public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
    return appenders.iteratorForAppenders();
  }

  @Override
  public Appender<ILoggingEvent> getAppender(String name) {
    return appenders.getAppender(name);
  }

  @Override
  public boolean isAttached(Appender<ILoggingEvent> appender) {
    return appenders.isAttached(appender);
  }

  @Override
  public void detachAndStopAllAppenders() {
    appenders.detachAndStopAllAppenders();
  }

  @Override
  public boolean detachAppender(Appender<ILoggingEvent> appender) {
    return appenders.detachAppender(appender);
  }

  @Override
  public boolean detachAppender(String name) {
    return appenders.detachAppender(name);
  }
}
