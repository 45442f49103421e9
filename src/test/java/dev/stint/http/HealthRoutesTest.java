package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.AuditTables;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /readyz} answers in time whatever its checks do: a check that never answers (a database
 * gone silent) is reported "timed out" within {@link HealthRoutes#CHECK_DEADLINE}, not ready.
 */
class HealthRoutesTest {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    AuditTables.await(vertx.close());
  }

  private HttpResponse<String> readyz(List<ReadinessCheck> checks) throws Exception {
    Router router = Router.router(vertx);
    new HealthRoutes(checks).register(router);
    HttpServer server =
        AuditTables.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/readyz"))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCheckThatNeverAnswersIsNotReadyWithinTheDeadline() throws Exception {
    long asked = System.nanoTime();
    HttpResponse<String> r =
        readyz(
            List.of(
                new ReadinessCheck("database", () -> Promise.<Void>promise().future()),
                new ReadinessCheck("policies", Future::succeededFuture)));
    Duration took = Duration.ofNanos(System.nanoTime() - asked);

    assertThat(r.statusCode()).isEqualTo(503);
    JsonObject checks = new JsonObject(r.body()).getJsonObject("checks");
    assertThat(checks.getString("database")).isEqualTo(HealthRoutes.TIMED_OUT);
    assertThat(checks.getString("policies")).isEqualTo("ok");
    // The check never answers, so the answer came from the deadline, however slow the host.
    assertThat(took).isGreaterThanOrEqualTo(HealthRoutes.CHECK_DEADLINE);
  }

  @Test
  void aCheckThatFailsInTimeSaysWhy() throws Exception {
    HttpResponse<String> r =
        readyz(List.of(new ReadinessCheck("database", () -> Future.failedFuture("unreachable"))));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(r.body()).getJsonObject("checks").getString("database"))
        .isEqualTo("unreachable");
  }
}
