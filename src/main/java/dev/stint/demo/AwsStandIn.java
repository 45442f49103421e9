package dev.stint.demo;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side shared by the local AWS stand-ins (STS, IAM, sign-in) that {@code stint demo} runs
 * and the tests extend: an HTTP server on 127.0.0.1, port 0, so it can never be reached from
 * another machine; the most recent requests' forms (AWS query protocol body, or the query string)
 * are kept for assertions. Subclasses answer.
 *
 * <p>It runs on one event loop of its own (a Vert.x instance apart from stint's): under {@code make
 * bench} the stand-in shares the two cores with the server it stands in for, and a thread per
 * exchange cost more CPU than stint's own work on the call. So {@link #answer} must not block; an
 * answer that should come late says so ({@link Answer#after}).
 */
public abstract class AwsStandIn implements AutoCloseable {
  /** A long demo must not grow without bound; no test makes this many calls. */
  private static final int KEPT_CALLS = 10_000;

  /** One received request: its method, path, parameters (form body or query) and headers. */
  public record Call(
      String method, String path, Map<String, String> params, Map<String, List<String>> headers) {
    public String param(String name) {
      return params.get(name);
    }
  }

  /**
   * An answer: status, content type, body, how long to hold it before sending it, and what it waits
   * for first ({@code gate}: a test holding a call in flight).
   */
  public record Answer(
      int status, String contentType, String body, Duration delay, CompletionStage<?> gate) {
    public Answer(int status, String contentType, String body) {
      this(status, contentType, body, Duration.ZERO, CompletableFuture.completedFuture(null));
    }

    static Answer html(int status, String body) {
      return new Answer(status, "text/html; charset=utf-8", body);
    }

    /** The same answer, sent only after {@code delay} (a slow upstream, without a thread). */
    public Answer after(Duration delay) {
      return new Answer(status, contentType, body, delay, gate);
    }

    /** The same answer, sent only once {@code release} completes (no thread waits for it). */
    public Answer until(CompletionStage<?> release) {
      return new Answer(status, contentType, body, delay, release);
    }
  }

  private final Vertx vertx =
      Vertx.vertx(
          new VertxOptions()
              .setEventLoopPoolSize(1)
              .setWorkerPoolSize(1)
              .setInternalBlockingPoolSize(1));
  private final HttpServer server;
  private final Deque<Call> calls = new ArrayDeque<>();

  /** Off under load: a benchmark needs no record, and keeping one costs a lock per call. */
  private volatile boolean recording = true;

  protected AwsStandIn() {
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .requestHandler(this::handle);
    try {
      server.listen().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the stand-in could not listen on 127.0.0.1", e);
    }
  }

  /** The base URL, e.g. {@code http://127.0.0.1:PORT}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** The only call with the given {@code Action}, failing when there is not exactly one. */
  public Call onlyCall(String action) {
    List<Call> all = calls();
    List<Call> matching = all.stream().filter(c -> action.equals(c.param("Action"))).toList();
    if (matching.size() != 1) {
      throw new IllegalStateException(
          "expected one " + action + " call, got " + matching.size() + ": " + all);
    }
    return matching.get(0);
  }

  protected abstract Answer answer(Call call);

  /** Stops keeping calls (and, in subclasses, what they issued): for long load runs. */
  protected void stopRecording() {
    recording = false;
  }

  protected boolean recording() {
    return recording;
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            buffer -> {
              String body = buffer.toString(StandardCharsets.UTF_8);
              Map<String, String> params = new LinkedHashMap<>(HttpForms.parse(request.query()));
              params.putAll(HttpForms.parse(body));
              // Looked up the way HTTP means them: "authorization" finds "Authorization".
              Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
              for (String name : request.headers().names()) {
                headers.put(name, List.copyOf(request.headers().getAll(name)));
              }
              Call call =
                  new Call(
                      request.method().name(),
                      request.path(),
                      Map.copyOf(params),
                      Collections.unmodifiableMap(headers));
              if (recording) {
                synchronized (calls) {
                  calls.addLast(call);
                  if (calls.size() > KEPT_CALLS) {
                    calls.removeFirst();
                  }
                }
              }
              Answer answer;
              try {
                answer = answer(call);
              } catch (RuntimeException e) {
                // An answer that cannot be made (a malformed DurationSeconds, say) still ends the
                // call.
                answer = error(500, "Receiver", "InternalFailure", "the stand-in failed: " + e);
              }
              Answer sent = answer;
              Context context = vertx.getOrCreateContext();
              sent.gate()
                  .whenComplete(
                      (released, failed) ->
                          context.runOnContext(
                              v -> {
                                if (sent.delay().isZero()) {
                                  send(request, sent);
                                } else {
                                  vertx.setTimer(sent.delay().toMillis(), t -> send(request, sent));
                                }
                              }));
            });
  }

  private static void send(HttpServerRequest request, Answer answer) {
    request
        .response()
        .setStatusCode(answer.status())
        .putHeader("Content-Type", answer.contentType())
        .putHeader("x-amzn-RequestId", requestId())
        .end(answer.body());
  }

  protected static String requestId() {
    return UUID.randomUUID().toString();
  }

  /** XML-escapes text placed in a response element. */
  protected static String xml(String s) {
    return HttpForms.escape(s);
  }

  /** An AWS query-protocol error document (what STS and IAM answer on failure). */
  protected static Answer error(int status, String type, String code, String message) {
    return new Answer(
        status,
        "text/xml",
        "<ErrorResponse><Error><Type>"
            + type
            + "</Type><Code>"
            + code
            + "</Code><Message>"
            + xml(message)
            + "</Message></Error><RequestId>"
            + requestId()
            + "</RequestId></ErrorResponse>");
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
