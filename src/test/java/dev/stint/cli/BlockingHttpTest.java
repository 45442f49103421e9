package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI's HTTP: answers and error bodies read, redirects never followed, only http(s). */
class BlockingHttpTest {
  private static final Duration SECOND = Duration.ofSeconds(1);

  private HttpServer server;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          seen.add(
              exchange.getRequestMethod()
                  + " "
                  + path
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          if (path.equals("/moved")) {
            exchange.getResponseHeaders().add("Location", "/elsewhere");
            exchange.sendResponseHeaders(302, -1);
          } else {
            byte[] body = ("{\"path\":\"" + path + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(path.equals("/missing") ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void aPostSendsItsHeadersAndBodyAndReadsTheAnswer() throws IOException {
    BlockingHttp.Answer answer =
        BlockingHttp.send(
            "POST", uri("/v1/x"), Map.of("Authorization", "Bearer t"), "{}", SECOND, SECOND);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("{\"path\":\"/v1/x\"}");
    assertThat(seen).containsExactly("POST /v1/x Bearer t {}");
  }

  @Test
  void anErrorAnswerKeepsItsBody() throws IOException {
    BlockingHttp.Answer answer =
        BlockingHttp.send("GET", uri("/missing"), Map.of(), null, SECOND, SECOND);

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body()).contains("/missing");
  }

  @Test
  void aRedirectIsAnsweredNotFollowedSoTheTokenGoesNowhereElse() throws IOException {
    BlockingHttp.Answer answer =
        BlockingHttp.send(
            "GET", uri("/moved"), Map.of("Authorization", "Bearer t"), null, SECOND, SECOND);

    assertThat(answer.status()).isEqualTo(302);
    assertThat(seen).containsExactly("GET /moved Bearer t ");
  }

  @Test
  void onlyHttpAndHttpsAreSpoken() {
    for (String other : List.of("file:///etc/passwd", "jar:file:/x.jar!/a", "ftp://127.0.0.1/")) {
      assertThatThrownBy(
              () -> BlockingHttp.send("GET", URI.create(other), Map.of(), null, SECOND, SECOND))
          .as(other)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("not an http(s) URL");
    }
  }
}
