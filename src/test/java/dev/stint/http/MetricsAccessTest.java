package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /metrics restricted by a bearer token, or moved to a listener of its own. */
class MetricsAccessTest {
  private static final String TOKEN = "scrape-me-0123456789abcdef";

  @Test
  void withATokenMetricsNeedIt() throws Exception {
    try (TestServer server = TestServer.start(TestPostgres.migratedDatabase(),
        Map.of("STINT_METRICS_TOKEN", TOKEN))) {
      HttpResponse<String> none = server.get("/metrics");
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(new JsonObject(none.body()).getString("code")).isEqualTo("unauthenticated");
      assertThat(none.body()).doesNotContain("# TYPE");
      HttpResponse<String> wrong = server.get("/metrics", TOKEN + "x");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(server.get("/metrics", TOKEN.substring(1)).statusCode()).isEqualTo(401);
      HttpResponse<String> right = server.get("/metrics", TOKEN);
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(right.body()).contains("# TYPE");
    }
  }

  @Test
  void withAListenerOfItsOwnMetricsLeaveTheMainListener() throws Exception {
    try (TestServer server = TestServer.start(TestPostgres.migratedDatabase(),
        Map.of("STINT_METRICS_LISTEN", "127.0.0.1:0"))) {
      assertThat(server.get("/metrics").statusCode()).isEqualTo(404);
      int port = server.server().metricsPort().orElseThrow();
      assertThat(port).isNotEqualTo(server.uri("/").getPort());
      HttpResponse<String> scraped = server.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/metrics")).build());
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.body()).contains("vertx_http_server_requests_total");
      // Only metrics there: the API is not served on the metrics listener.
      assertThat(server.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/healthz")).build()).statusCode())
          .isEqualTo(404);
    }
  }
}
