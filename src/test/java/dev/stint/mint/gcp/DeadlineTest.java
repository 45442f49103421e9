package dev.stint.mint.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.stint.testing.Eventually;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mint's deadline ends every connection it opened, including one the HTTP client opened before
 * the deadline passed but connects only after: disconnecting such a connection before it connects
 * does nothing, and its read would then wait out google-http-client's own 20 s.
 */
class DeadlineTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private HttpServer hanging;

  @BeforeEach
  void start() throws IOException {
    hanging = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    hanging.setExecutor(Executors.newCachedThreadPool());
    hanging.createContext(
        "/",
        ex -> {
          try (ex) {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    hanging.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    hanging.stop(0);
    timer.shutdownNow();
  }

  @Test
  void aConnectionOpenedBeforeTheDeadlineButConnectedAfterIsStillCutOff() throws Exception {
    Deadline deadline = new Deadline(timer, Duration.ofMillis(50));
    HttpURLConnection c = deadline.openConnection(url());
    c.setReadTimeout((int) Duration.ofSeconds(20).toMillis());
    Eventually.until("the deadline passed", Duration.ofSeconds(10), deadline::expired);
    // The server never answers and the read timeout is longer than the test waits: the failure
    // can only come from the deadline.
    assertThatThrownBy(c::getResponseCode).isInstanceOf(IOException.class);
    deadline.close();
  }

  @Test
  void aConnectionOpenedAfterTheDeadlineIsRefused() throws Exception {
    Deadline deadline = new Deadline(timer, Duration.ofMillis(1));
    Eventually.until("the deadline passed", Duration.ofSeconds(10), deadline::expired);

    assertThatThrownBy(() -> deadline.openConnection(url()))
        .isInstanceOf(SocketTimeoutException.class);
    deadline.close();
  }

  @Test
  void aClosedDeadlineNeverExpires() throws Exception {
    Deadline deadline = new Deadline(timer, Duration.ofMillis(20));
    deadline.close();
    timer.schedule(() -> {}, 50, java.util.concurrent.TimeUnit.MILLISECONDS).get();

    assertThat(deadline.expired()).isFalse();
  }

  private URL url() throws IOException {
    return new URL("http://127.0.0.1:" + hanging.getAddress().getPort() + "/hang");
  }
}
