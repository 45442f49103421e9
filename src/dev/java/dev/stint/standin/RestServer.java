package dev.stint.standin;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The HTTP server under a stand-in for a REST API (PagerDuty, Jira, S3): on 127.0.0.1, port 0, on
 * an event loop of its own, like {@link LoopbackServer}; with what every such stand-in offers a
 * test: the calls counted, the next calls throttled (answered with the service's own 429), and an
 * answer held back for a while, on a timer, so a client's timeout can be seen to fire.
 *
 * <p>The demo may also open controls under {@link #CONTROLS}, a path the real APIs do not have: a
 * page of its own that changes what the stand-in answers (who is on call, a ticket closed). They
 * answer without the API's token, so they are kept apart from the API: not counted, throttled or
 * delayed, and answered only as {@link LoopbackOnly} allows.
 */
final class RestServer implements AutoCloseable {
  /** An answer: status, headers and body. */
  record Reply(int status, Map<String, String> headers, String body) {
    static Reply json(int status, String body) {
      return new Reply(status, Map.of("Content-Type", "application/json"), body);
    }
  }

  private final Vertx vertx =
      Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
  private final BiFunction<HttpServerRequest, Buffer, Reply> answer;
  private final Function<Duration, Reply> throttled;
  private final HttpServer server;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger throttle = new AtomicInteger();
  private final AtomicReference<Duration> retryAfter = new AtomicReference<>(Duration.ZERO);
  private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
  private final AtomicReference<Reply> instead = new AtomicReference<>();
  private final AtomicReference<Function<QueryRequest, StandInReply>> controls =
      new AtomicReference<>();

  /** Where the demo's controls are: no path of PagerDuty's or Jira's APIs starts so. */
  static final String CONTROLS = "/demo";

  /**
   * {@code answer} answers each call (on the event loop; it must not block); {@code throttled} is
   * the service's answer to a throttled call that may be retried after the given time.
   */
  RestServer(Function<HttpServerRequest, Reply> answer, Function<Duration, Reply> throttled) {
    this((request, body) -> answer.apply(request), throttled);
  }

  /** As the other, {@code answer} also reading the call's body (read whole before it is asked). */
  RestServer(
      BiFunction<HttpServerRequest, Buffer, Reply> answer, Function<Duration, Reply> throttled) {
    this.answer = answer;
    this.throttled = throttled;
    this.server = LoopbackServer.listen(vertx, this::handle);
  }

  /** The base URL, e.g. {@code http://127.0.0.1:PORT}. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  int calls() {
    return calls.get();
  }

  /** The next {@code count} calls are throttled, each told to retry after {@code after}. */
  void throttle(int count, Duration after) {
    retryAfter.set(after);
    throttle.set(count);
  }

  /** Every answer from now on is sent {@code by} after its call arrived. */
  void delay(Duration by) {
    delay.set(by);
  }

  /**
   * Every call from now on is answered with {@code reply} instead, as a broken proxy in front of
   * the service might answer; {@code null} goes back to the service's own answers.
   */
  void answerInstead(Reply reply) {
    instead.set(reply);
  }

  /**
   * Serves {@code page} under {@link #CONTROLS}: each call there, its form body and query decoded,
   * with its headers, is answered by it on the event loop (it must not block).
   */
  void openControls(Function<QueryRequest, StandInReply> page) {
    controls.set(page);
  }

  private void handle(HttpServerRequest request) {
    Function<QueryRequest, StandInReply> page = controls.get();
    String path = request.path();
    if (page != null && (path.equals(CONTROLS) || path.startsWith(CONTROLS + "/"))) {
      request.body().onSuccess(body -> send(request, control(page, request, body.toString())));
      return;
    }
    calls.incrementAndGet();
    request
        .body()
        .onComplete(body -> reply(request, body.succeeded() ? body.result() : Buffer.buffer()));
  }

  private void reply(HttpServerRequest request, Buffer body) {
    Reply reply;
    if (instead.get() != null) {
      reply = instead.get();
    } else if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      reply = throttled.apply(retryAfter.get());
    } else {
      try {
        reply = answer.apply(request, body);
      } catch (RuntimeException e) {
        reply = Reply.json(500, "{\"error\":\"the stand-in failed\"}");
      }
    }
    Reply sent = reply;
    long wait = delay.get().toMillis();
    if (wait <= 0) {
      send(request, sent);
    } else {
      vertx.setTimer(wait, t -> send(request, sent));
    }
  }

  private Reply control(
      Function<QueryRequest, StandInReply> page, HttpServerRequest request, String body) {
    // The authority, not the Host header: a client that upgraded to HTTP/2 sends no Host.
    HostAndPort asked = request.authority();
    Optional<LoopbackOnly.Refused> refused =
        LoopbackOnly.refusal(
            server.actualPort(),
            asked == null ? null : asked.host() + ":" + asked.port(),
            request.getHeader("Origin"));
    if (refused.isPresent()) {
      return text(refused.get().status(), refused.get().message());
    }
    Map<String, String> params = new LinkedHashMap<>();
    try {
      params.putAll(QueryServer.form(request.query()));
      params.putAll(QueryServer.form(body));
    } catch (IllegalArgumentException e) {
      return text(400, "The form does not decode.");
    }
    StandInReply answer;
    try {
      answer =
          page.apply(
              new QueryRequest(
                  request.method().name(),
                  request.path(),
                  Collections.unmodifiableMap(params),
                  Collections.unmodifiableMap(LoopbackServer.headers(request))));
    } catch (RuntimeException e) {
      return text(500, "The controls failed.");
    }
    return new Reply(answer.status(), Map.of("Content-Type", answer.contentType()), answer.body());
  }

  private static Reply text(int status, String message) {
    return new Reply(status, Map.of("Content-Type", "text/plain; charset=utf-8"), message + "\n");
  }

  private static void send(HttpServerRequest request, Reply reply) {
    if (request.response().closed()) {
      return; // the caller gave up waiting for a late answer
    }
    var response = request.response().setStatusCode(reply.status());
    reply.headers().forEach(response::putHeader);
    response.end(reply.body());
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the stand-in did not stop", e);
    }
  }
}
