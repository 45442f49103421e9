package dev.stint.mint.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.sun.net.httpserver.HttpServer;
import dev.stint.common.FilledDocument;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the downscoping exchange does with answers Google's STS should never give: a redirect is not
 * followed (it would post the source token again, to wherever it points) and an answer past its
 * size is not read.
 */
class DownscopingAnswersTest {
  static final FilledDocument BOUNDARY =
      new FilledDocument(
          "{\"accessBoundary\":{\"accessBoundaryRules\":[{\"availableResource\":"
              + "\"//storage.googleapis.com/projects/_/buckets/b\",\"availablePermissions\":"
              + "[\"inRole:roles/storage.objectViewer\"]}]}}");
  static final GcpToken SOURCE =
      new GcpToken("ya29.source-token", Instant.parse("2099-01-01T00:00:00Z"));

  HttpServer sts;
  HttpServer elsewhere;
  final AtomicInteger reachedElsewhere = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    elsewhere.createContext(
        "/",
        x -> {
          reachedElsewhere.incrementAndGet();
          x.sendResponseHeaders(500, -1);
          x.close();
        });
    elsewhere.start();
    sts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sts.createContext(
        "/redirect",
        x -> {
          x.getResponseHeaders()
              .add("Location", "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/steal");
          x.sendResponseHeaders(307, -1);
          x.close();
        });
    sts.createContext(
        "/huge",
        x -> {
          byte[] body =
              ("{\"access_token\":\"" + "a".repeat(Downscoping.MAX_ANSWER_BYTES) + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    sts.start();
  }

  @AfterEach
  void stop() {
    sts.stop(0);
    elsewhere.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + sts.getAddress().getPort() + path;
  }

  @Test
  void aRedirectIsAnErrorAndTheSourceTokenGoesNowhereElse() {
    assertThatThrownBy(
            () -> Downscoping.downscope(SOURCE, BOUNDARY, url("/redirect"), new NetHttpTransport()))
        .isInstanceOf(HttpResponseException.class)
        .satisfies(e -> assertThat(((HttpResponseException) e).getStatusCode()).isEqualTo(307));
    assertThat(reachedElsewhere).hasValue(0);
  }

  @Test
  void anAnswerPastItsSizeIsNotRead() {
    assertThatThrownBy(
            () -> Downscoping.downscope(SOURCE, BOUNDARY, url("/huge"), new NetHttpTransport()))
        .isInstanceOf(IOException.class)
        .hasMessage("Google STS answered more than " + Downscoping.MAX_ANSWER_BYTES + " bytes");
  }
}
