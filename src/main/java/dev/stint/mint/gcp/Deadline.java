package dev.stint.mint.gcp;

import com.google.api.client.http.javanet.ConnectionFactory;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One deadline over all HTTP exchanges of a mint. google-auth-library builds its requests itself
 * and sets google-http-client's 20 s connect and 20 s read timeouts on each, which a transport
 * cannot lower; so every connection goes through here, and when the deadline passes every open
 * connection is disconnected, which fails a blocked read at once.
 */
final class Deadline implements ConnectionFactory, AutoCloseable {
  /**
   * How often a passed deadline cuts its connections again until the mint is over: a connection the
   * client opened but had not yet connected when it passed ignores the first cut.
   */
  static final Duration AGAIN_EVERY = Duration.ofMillis(100);

  private final List<HttpURLConnection> connections = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer;
  private ScheduledFuture<?> alarm;
  private boolean expired;
  private boolean closed;

  Deadline(ScheduledExecutorService timer, Duration timeout) {
    this.timer = timer;
    this.alarm = timer.schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public HttpURLConnection openConnection(URL url) throws IOException {
    if (expired()) {
      throw new SocketTimeoutException("mint deadline passed");
    }
    HttpURLConnection connection = (HttpURLConnection) url.openConnection();
    connections.add(connection);
    return connection;
  }

  synchronized boolean expired() {
    return expired;
  }

  // Synchronized with close(): once a mint is over, its deadline never touches a connection
  // again (the JDK may already have handed the socket to another request). Disconnecting a
  // connection that is not connected yet does nothing, and it may connect after: so the cut is
  // made again until the mint is over.
  private synchronized void expire() {
    if (!closed) {
      expired = true;
      alarm = timer.schedule(this::expire, AGAIN_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      connections.forEach(Deadline::cut);
    }
  }

  /**
   * The mint's thread may be using the connection as it is cut (the class is not thread-safe, and
   * its disconnect can fail on a state changing under it): one failed cut must not stop the others,
   * and the next round tries it again.
   */
  private static void cut(HttpURLConnection connection) {
    try {
      connection.disconnect();
    } catch (RuntimeException racedWithTheMint) {
      // cut again on the next round
    }
  }

  /** Called once the mint is over: its connections are no longer this deadline's business. */
  @Override
  public synchronized void close() {
    closed = true;
    alarm.cancel(false);
  }
}
