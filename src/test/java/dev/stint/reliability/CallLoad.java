package dev.stint.reliability;

import dev.stint.testing.IssuanceRig;
import dev.stint.testing.Patience;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Load of several kinds at once, every answer kept for a timeline: closed-loop clients asking for
 * credentials, reading their requests, and making requests that an approver then votes on; and
 * {@code /readyz} asked every {@link #READINESS_EVERY}. A call waits at most the client's timeout
 * for its answer; one past it is kept as {@link #NO_ANSWER}, never dropped. Runs on one event loop
 * of its own, like {@link FailoverLoad}.
 */
final class CallLoad implements AutoCloseable {
  static final int NO_ANSWER = -1;
  static final Duration READINESS_EVERY = Duration.ofMillis(100);

  /** What a call was. A voter's loop makes a {@code REQUEST}, then casts a {@code VOTE} on it. */
  enum Kind {
    ISSUE,
    READ,
    REQUEST,
    VOTE,
    READY
  }

  /**
   * One answer; times are {@link System#nanoTime()}. {@code id}: the credential's id of an
   * issuance, the request's id of a request made or voted on.
   */
  record Call(Kind kind, long sent, long answered, int status, String code, String id) {
    Duration took() {
      return Duration.ofNanos(answered - sent);
    }

    boolean succeeded() {
      return status >= 200 && status < 300;
    }
  }

  /** The review profile's requests, each for this long. */
  private static final String REQUEST_BODY =
      "{\"profile\":\"review\",\"duration_seconds\":900,\"reason\":\"the database falls silent\"}";

  private final Vertx vertx =
      Vertx.vertx(
          new VertxOptions()
              .setEventLoopPoolSize(1)
              .setWorkerPoolSize(1)
              .setInternalBlockingPoolSize(1));
  private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
  private final IssuanceRig rig;
  private final Duration timeout;
  private final HttpClient http;
  private final HttpClient readiness;
  private final CountDownLatch done;
  private volatile boolean stopping;
  private long readinessTimer;

  private CallLoad(IssuanceRig rig, int clients, Duration timeout) {
    this.rig = rig;
    this.timeout = timeout;
    this.done = new CountDownLatch(clients);
    // Room for every call a client gave up on while its connection still waits, and readiness
    // polls on connections of their own: no call ever waits for a connection of the load's.
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
            new PoolOptions().setHttp1MaxSize(clients * 8));
    this.readiness =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
            new PoolOptions().setHttp1MaxSize(64));
  }

  /**
   * Starts {@code issuers} clients asking for credentials (as {@code alice}, auto-approved), {@code
   * readers} reading their requests, {@code voters} making review requests that {@code sam}
   * approves, and the readiness polls.
   */
  static CallLoad start(IssuanceRig rig, int issuers, int readers, int voters, Duration timeout) {
    CallLoad load = new CallLoad(rig, issuers + readers + voters, timeout);
    String alice = rig.token("alice");
    String dana = rig.idp().token("dana", "dev");
    String erin = rig.idp().token("erin", "dev");
    String sam = rig.idp().token("sam", "sre");
    load.vertx.runOnContext(
        v -> {
          for (int i = 0; i < issuers; i++) {
            load.loop(
                next ->
                    load.call(
                        Kind.ISSUE,
                        HttpMethod.POST,
                        "/v1/credentials",
                        alice,
                        IssuanceRig.BODY,
                        "credential_id",
                        c -> next.run()));
          }
          for (int i = 0; i < readers; i++) {
            load.loop(
                next ->
                    load.call(
                        Kind.READ,
                        HttpMethod.GET,
                        "/v1/requests?mine=true&limit=20",
                        dana,
                        null,
                        null,
                        c -> next.run()));
          }
          for (int i = 0; i < voters; i++) {
            load.loop(
                next ->
                    load.call(
                        Kind.REQUEST,
                        HttpMethod.POST,
                        "/v1/requests",
                        erin,
                        REQUEST_BODY,
                        "id",
                        made -> {
                          if (made.status() != 201 || made.id() == null) {
                            next.run();
                            return;
                          }
                          load.call(
                              Kind.VOTE,
                              HttpMethod.POST,
                              "/v1/requests/" + made.id() + "/approve",
                              sam,
                              "{}",
                              "id",
                              c -> next.run());
                        }));
          }
          load.readinessTimer =
              load.vertx.setPeriodic(
                  READINESS_EVERY.toMillis(),
                  t -> load.call(Kind.READY, HttpMethod.GET, "/readyz", null, null, null, c -> {}));
        });
    return load;
  }

  /** Runs {@code step} again each time it calls its argument, until the load stops. */
  private void loop(Consumer<Runnable> step) {
    if (stopping) {
      done.countDown();
      return;
    }
    step.accept(() -> loop(step));
  }

  private void call(
      Kind kind,
      HttpMethod method,
      String path,
      String bearer,
      String body,
      String idField,
      Consumer<Call> then) {
    long sent = System.nanoTime();
    URI uri = rig.uri(path);
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(uri.toString())
            .setIdleTimeout(timeout.toMillis());
    if (bearer != null) {
      options.putHeader("Authorization", "Bearer " + bearer);
    }
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    (kind == Kind.READY ? readiness : http)
        .request(options)
        .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
        .compose(resp -> resp.body().map(b -> answer(kind, sent, resp.statusCode(), b, idField)))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .recover(
            e ->
                Future.succeededFuture(
                    new Call(kind, sent, System.nanoTime(), NO_ANSWER, null, null)))
        .onSuccess(
            c -> {
              calls.add(c);
              then.accept(c);
            });
  }

  private static Call answer(Kind kind, long sent, int status, Buffer body, String idField) {
    long answered = System.nanoTime();
    JsonObject json;
    try {
      json = body.toJsonObject();
    } catch (RuntimeException e) {
      json = new JsonObject();
    }
    return new Call(
        kind,
        sent,
        answered,
        status,
        json.getString("code"),
        idField == null ? null : json.getString(idField));
  }

  /** The answers so far, in the order they came. */
  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Stops asking and waits for the answers still due (each bounded by the client's timeout). */
  void stop() throws InterruptedException {
    stopping = true;
    vertx.runOnContext(v -> vertx.cancelTimer(readinessTimer));
    if (!done.await(timeout.toMillis() * 2 + 10_000, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the load's clients did not stop");
    }
  }

  @Override
  public void close() throws Exception {
    stopping = true;
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }
}
