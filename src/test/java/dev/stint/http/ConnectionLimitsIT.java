package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow and numerous clients, over raw sockets: a request that arrives too slowly is cut off, an
 * idle connection is closed, and connections beyond the cap are closed at once.
 */
class ConnectionLimitsIT {
  private static final int MAX_CONNECTIONS = 3;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of(
                "STINT_HTTP_READ_TIMEOUT", "1s",
                "STINT_HTTP_IDLE_TIMEOUT", "2s",
                "STINT_HTTP_MAX_CONNECTIONS", String.valueOf(MAX_CONNECTIONS)));
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
  }

  private static Socket connect() throws IOException {
    return new Socket("127.0.0.1", server.uri("/").getPort());
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
  }

  /** True once the server has closed the socket; false if it is still open after {@code wait}. */
  private static boolean closedWithin(Socket s, Duration wait) throws IOException {
    s.setSoTimeout((int) wait.toMillis());
    InputStream in = s.getInputStream();
    try {
      while (true) {
        if (in.read() == -1) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset by the server
    }
  }

  private static String healthz(Socket s) throws IOException {
    send(s, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    s.setSoTimeout(5_000);
    StringBuilder got = new StringBuilder();
    InputStream in = s.getInputStream();
    while (!got.toString().endsWith("\"ok\"}")) {
      int b = in.read();
      if (b == -1) {
        break;
      }
      got.append((char) b);
    }
    return got.toString();
  }

  @Test
  void aHalfSentRequestIsCutOffAfterTheReadTimeout() throws IOException {
    try (Socket s = connect()) {
      send(s, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      long started = System.nanoTime();
      assertThat(closedWithin(s, Duration.ofSeconds(10)))
          .as("the server closes a connection whose request head never ends")
          .isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aRequestDrippedByteByByteIsCutOffThoughTheConnectionIsNeverIdle() throws IOException {
    byte[] head =
        ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(200) + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    try (Socket s = connect()) {
      long started = System.nanoTime();
      boolean closed = false;
      // A byte every 300 ms keeps the connection from ever being idle for 2 s.
      long giveUp = started + Duration.ofSeconds(8).toNanos();
      for (int i = 0; i < head.length && !closed && System.nanoTime() < giveUp; i++) {
        try {
          s.getOutputStream().write(head[i]);
        } catch (SocketException e) {
          closed = true;
          break;
        }
        closed = closedWithin(s, Duration.ofMillis(300));
      }
      assertThat(closed).as("a slow sender is disconnected before finishing its request").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosed() throws IOException {
    try (Socket s = connect()) {
      assertThat(closedWithin(s, Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void aKeptAliveConnectionServesRequestsThenClosesWhenIdle() throws IOException {
    try (Socket s = connect()) {
      assertThat(healthz(s)).startsWith("HTTP/1.1 200").endsWith("\"ok\"}");
      assertThat(healthz(s)).as("keep-alive still works").startsWith("HTTP/1.1 200");
      assertThat(closedWithin(s, Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void connectionsBeyondTheCapAreClosedAndTheCapFreesUp() throws IOException {
    double refusedBefore = refusedCounted();
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        Socket s = connect();
        open.add(s);
        assertThat(healthz(s)).as("connection %d is served", i).startsWith("HTTP/1.1 200");
      }
      try (Socket extra = connect()) {
        String answer;
        try {
          answer = healthz(extra);
        } catch (SocketException e) {
          answer = "";
        }
        assertThat(answer).as("the connection over the cap gets no answer").isEmpty();
        assertThat(closedWithin(extra, Duration.ofSeconds(2))).isTrue();
      }
      assertThat(refusedCounted() - refusedBefore)
          .as("the refusal is counted in the meter")
          .isOne();
      open.remove(0).close();
      assertThat(servedWithin(Duration.ofSeconds(5)))
          .as("a closed connection frees its place")
          .isTrue();
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
  }

  private static double refusedCounted() {
    return server
        .server()
        .meters()
        .get("stint_http_connections_refused_total")
        .tag("listener", "api")
        .functionCounter()
        .count();
  }

  /** Polls for a served connection: the server counts a closed one down asynchronously. */
  private static boolean servedWithin(Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = connect()) {
        if (healthz(s).startsWith("HTTP/1.1 200")) {
          return true;
        }
      } catch (SocketException e) {
        // closed at once: still full
      }
    }
    return false;
  }
}
