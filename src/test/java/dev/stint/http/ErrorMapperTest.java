package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.db.Unanswered;
import dev.stint.testing.AuditTables;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database out of reach is 503 {@code unavailable} on any route (a failover is expected and
 * passes), and anything else unexpected stays 500 {@code internal}, its details in the log only.
 */
class ErrorMapperTest {
  static Vertx vertx;
  static HttpServer server;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.get("/closed").handler(ctx -> ctx.fail(ClosedConnectionException.INSTANCE));
    router
        .get("/silent")
        .handler(
            ctx -> ctx.fail(new Unanswered("the database did not answer a statement within 5 s")));
    router
        .get("/shutting-down")
        .handler(
            ctx ->
                ctx.fail(
                    new PgException(
                        "terminating connection due to administrator command",
                        "FATAL",
                        "57P01",
                        null)));
    router
        .get("/constraint")
        .handler(ctx -> ctx.fail(new PgException("duplicate key value", "ERROR", "23505", null)));
    router.get("/bug").handler(ctx -> ctx.fail(new IllegalStateException("a bug, secret-ish")));
    router.route().failureHandler(ErrorMapper::handle);
    server =
        AuditTables.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    AuditTables.await(vertx.close());
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aDatabaseOutOfReachIsUnavailable() throws Exception {
    for (String path : new String[] {"/closed", "/shutting-down"}) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(503);
      assertThat(new JsonObject(r.body()).getString("code")).as(path).isEqualTo("unavailable");
    }
  }

  @Test
  void aDatabaseThatDidNotAnswerInTimeIsUnavailableAndSaysSo() throws Exception {
    HttpResponse<String> r = get("/silent");
    assertThat(r.statusCode()).isEqualTo(503);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("code")).isEqualTo("unavailable");
    assertThat(body.getString("detail"))
        .isEqualTo("the database did not answer in time; try again shortly");
  }

  @Test
  void anyOtherFailureIsInternalAndSaysNothingOfItself() throws Exception {
    for (String path : new String[] {"/constraint", "/bug"}) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(500);
      assertThat(new JsonObject(r.body()).getString("code")).as(path).isEqualTo("internal");
      assertThat(r.body()).doesNotContain("duplicate key", "secret-ish");
    }
  }
}
