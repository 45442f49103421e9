package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.TestLimits;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class GracefulShutdownTest {

  @Test
  void inFlightRequestFinishesWhenTheServerStops(Vertx vertx, VertxTestContext test) {
    AtomicBoolean undeployStarted = new AtomicBoolean();
    // A handler that answers only after the server has been told to stop.
    RouteModule slow =
        router ->
            router
                .get("/slow")
                .handler(
                    ctx ->
                        vertx.setTimer(
                            300,
                            t -> ctx.response().end(undeployStarted.get() ? "late" : "early")));
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
                  vertx.setTimer(
                      100,
                      t -> {
                        undeployStarted.set(true);
                        vertx.undeploy(id);
                      });
                }));
  }
}
