package dev.stint.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON answer that may take minutes (a full verification of a long audit chain). Silent that
 * long, the connection would be closed by the server's idle timeout, or the client would give up
 * waiting for the headers. So once the answer is late by one beat, the headers go out (200,
 * chunked) and a space follows every beat, which JSON allows before a value; the JSON ends it. An
 * answer that comes within the first beat is sent as any other, with its own status.
 */
public final class LongAnswer {
  private static final Logger LOG = LoggerFactory.getLogger(LongAnswer.class);

  /** Well under any idle timeout stint accepts and any client's wait for headers. */
  public static final Duration BEAT = Duration.ofSeconds(5);

  private LongAnswer() {}

  public static Future<Void> json(RoutingContext ctx, Future<JsonObject> answer) {
    return json(ctx, answer, BEAT);
  }

  static Future<Void> json(RoutingContext ctx, Future<JsonObject> answer, Duration beat) {
    HttpServerResponse response = ctx.response();
    long timer =
        ctx.vertx()
            .setPeriodic(
                beat.toMillis(),
                id -> {
                  if (response.ended() || response.closed()) {
                    return;
                  }
                  if (!response.headWritten()) {
                    response
                        .setStatusCode(200)
                        .setChunked(true)
                        .putHeader("Content-Type", "application/json");
                  }
                  response.write(" ");
                });
    return answer
        .andThen(done -> ctx.vertx().cancelTimer(timer))
        .transform(
            done -> {
              if (!response.headWritten()) {
                return done.succeeded()
                    ? ctx.json(done.result())
                    : Future.failedFuture(done.cause());
              }
              if (response.ended() || response.closed()) {
                return Future.succeededFuture();
              }
              if (done.succeeded()) {
                return response.end(done.result().encode());
              }
              // The status is already out: the body says the answer never came, so no caller reads
              // a
              // late failure as success. The cause stays in the log, never in the answer.
              LOG.warn(
                  "{} {} failed after its headers were sent: {}",
                  ctx.request().method(),
                  ctx.request().path(),
                  done.cause().toString());
              return response.end(
                  new JsonObject()
                      .put("ok", false)
                      .put("problem", "the answer could not be completed; see the server's log")
                      .encode());
            });
  }
}
