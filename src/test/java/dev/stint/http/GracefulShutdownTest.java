package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.TestLimits;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class GracefulShutdownTest {

  @Test
  void inFlightRequestFinishesWhenTheServerStops(Vertx vertx, VertxTestContext test) {
    Promise<Void> arrived = Promise.promise();
    // A handler that answers only once the server has begun shutting its connection down: the
    // answer can only reach the client if the shutdown waits for the request in flight.
    RouteModule slow =
        router ->
            router
                .get("/slow")
                .handler(
                    ctx -> {
                      ctx.request().connection().shutdownHandler(v -> ctx.response().end("late"));
                      arrived.complete();
                    });
    HttpVerticle verticle =
        new HttpVerticle(
            "127.0.0.1",
            0,
            List.of(slow),
            new HttpVerticle.Settings(Duration.ofSeconds(5), TestLimits.guard()));
    HttpClient client = vertx.createHttpClient();
    vertx
        .deployVerticle(verticle)
        .onComplete(
            test.succeeding(
                id -> {
                  client
                      .request(HttpMethod.GET, verticle.actualPort(), "127.0.0.1", "/slow")
                      .compose(
                          req ->
                              req.send()
                                  .compose(
                                      resp -> resp.body().map(b -> resp.statusCode() + " " + b)))
                      .onComplete(
                          test.succeeding(
                              result ->
                                  test.verify(
                                      () -> {
                                        assertThat(result).isEqualTo("200 late");
                                        test.completeNow();
                                      })));
                  // Stop while the request is being handled.
                  arrived.future().onSuccess(v -> vertx.undeploy(id));
                }));
  }
}
