package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.Patience;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An answer slower than the server's idle timeout and the client's wait for headers still arrives
 * whole; one that fails late says so in its body; quick ones are ordinary answers.
 */
class LongAnswerTest {
  static final Duration BEAT = Duration.ofMillis(250);
  static Vertx vertx;
  static HttpServer server;
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router
        .get("/slow")
        .handler(
            ctx ->
                LongAnswer.json(
                    ctx,
                    later(
                        2_500,
                        Future.succeededFuture(new JsonObject().put("ok", true).put("count", 7))),
                    BEAT));
    router
        .get("/slow-failure")
        .handler(
            ctx ->
                LongAnswer.json(
                    ctx,
                    later(
                        1_500,
                        Future.failedFuture(
                            new IllegalStateException("database password=hunter2"))),
                    BEAT));
    router
        .get("/quick")
        .handler(
            ctx ->
                LongAnswer.json(
                    ctx, Future.succeededFuture(new JsonObject().put("ok", true)), BEAT));
    router
        .get("/quick-failure")
        .handler(
            ctx ->
                LongAnswer.json(ctx, Future.failedFuture(new IllegalStateException("boom")), BEAT)
                    .onFailure(ctx::fail));
    // An idle timeout shorter than the slow answers: without the beat they would be cut off.
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setIdleTimeout(1)
                    .setIdleTimeoutUnit(TimeUnit.SECONDS))
            .requestHandler(router)
            .listen()
            .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  static Future<JsonObject> later(long millis, Future<JsonObject> outcome) {
    Promise<JsonObject> p = Promise.promise();
    vertx.setTimer(millis, t -> outcome.onComplete(p));
    return p.future();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  static HttpResponse<String> get(String path) throws Exception {
    // The client waits at most a second for the headers, as a CLI with a short timeout would.
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
            .timeout(Duration.ofSeconds(1))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aSlowAnswerArrivesWholeAfterSpaces() throws Exception {
    HttpResponse<String> r = get("/slow");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith(" ");
    assertThat(new JsonObject(r.body().strip()))
        .isEqualTo(new JsonObject().put("ok", true).put("count", 7));
  }

  @Test
  void aLateFailureIsNotOkAndKeepsItsCauseOutOfTheAnswer() throws Exception {
    HttpResponse<String> r = get("/slow-failure");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body().strip());
    assertThat(body.getBoolean("ok")).isFalse();
    assertThat(body.getString("problem")).contains("could not be completed");
    assertThat(r.body()).doesNotContain("hunter2");
  }

  @Test
  void quickAnswersAreOrdinary() throws Exception {
    HttpResponse<String> ok = get("/quick");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("{\"ok\":true}");
    assertThat(ok.headers().firstValue("content-length")).isPresent();
    assertThat(get("/quick-failure").statusCode()).isEqualTo(500);
  }
}
