package dev.stint.reliability;

import dev.stint.testing.LoadDriver;
import dev.stint.testing.Patience;
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

/**
 * Load that keeps every answer, for a timeline of a failover: closed-loop clients asking for
 * credentials, each answer kept with when it was asked and answered, its status, its error code and
 * the credential id it carried; and {@code /readyz} asked every {@link #READINESS_EVERY}. A client
 * waits at most its deadline for an answer; a request past it is kept as a hang (status {@link
 * #NO_ANSWER}), never silently dropped. Runs on one event loop of its own, like {@link LoadDriver}.
 */
final class FailoverLoad implements AutoCloseable {
  static final int NO_ANSWER = -1;
  static final Duration READINESS_EVERY = Duration.ofMillis(100);

  /** One answer; times are {@link System#nanoTime()}. */
  record Answer(long sent, long answered, int status, String code, String credentialId) {
    Duration took() {
      return Duration.ofNanos(answered - sent);
    }
  }

  private final Vertx vertx =
      Vertx.vertx(
          new VertxOptions()
              .setEventLoopPoolSize(1)
              .setWorkerPoolSize(1)
              .setInternalBlockingPoolSize(1));
  private final Queue<Answer> credentials = new ConcurrentLinkedQueue<>();
  private final Queue<Answer> readiness = new ConcurrentLinkedQueue<>();
  private final LoadDriver.Target target;
  private final Duration deadline;
  private final HttpClient http;
  private final CountDownLatch done;
  private volatile boolean stopping;
  private long readinessTimer;

  private FailoverLoad(LoadDriver.Target target, int clients, Duration deadline) {
    this.target = target;
    this.deadline = deadline;
    this.done = new CountDownLatch(clients);
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
            new PoolOptions().setHttp1MaxSize(clients + 1));
  }

  /** Starts {@code clients} loops against {@code target} and readiness polls of {@code readyz}. */
  static FailoverLoad start(LoadDriver.Target target, int clients, Duration deadline, URI readyz) {
    FailoverLoad load = new FailoverLoad(target, clients, deadline);
    load.vertx.runOnContext(
        v -> {
          for (int i = 0; i < clients; i++) {
            load.next();
          }
          load.readinessTimer =
              load.vertx.setPeriodic(
                  READINESS_EVERY.toMillis(), t -> load.ask(LoadDriver.Target.get(readyz), null));
        });
    return load;
  }

  private void next() {
    if (stopping) {
      done.countDown();
      return;
    }
    ask(target, this::next);
  }

  private void ask(LoadDriver.Target what, Runnable then) {
    long sent = System.nanoTime();
    RequestOptions options =
        new RequestOptions()
            .setMethod(what.method())
            .setAbsoluteURI(what.uri().toString())
            .setIdleTimeout(deadline.toMillis());
    what.headers().forEach(options::putHeader);
    Queue<Answer> into = what.method() == HttpMethod.GET ? readiness : credentials;
    http.request(options)
        .compose(req -> what.body() == null ? req.send() : req.send(Buffer.buffer(what.body())))
        .compose(resp -> resp.body().map(b -> answer(sent, resp.statusCode(), b)))
        .onComplete(
            ar -> {
              into.add(
                  ar.succeeded()
                      ? ar.result()
                      : new Answer(sent, System.nanoTime(), NO_ANSWER, null, null));
              if (then != null) {
                then.run();
              }
            });
  }

  private static Answer answer(long sent, int status, Buffer body) {
    long answered = System.nanoTime();
    JsonObject json;
    try {
      json = body.toJsonObject();
    } catch (RuntimeException e) {
      json = new JsonObject();
    }
    return new Answer(
        sent, answered, status, json.getString("code"), json.getString("credential_id"));
  }

  /** The credential answers so far. */
  List<Answer> credentials() {
    return List.copyOf(credentials);
  }

  /** The readiness answers so far. */
  List<Answer> readiness() {
    return List.copyOf(readiness);
  }

  /** Stops asking and waits for the answers still due (each bounded by the deadline). */
  void stop() throws InterruptedException {
    stopping = true;
    vertx.runOnContext(v -> vertx.cancelTimer(readinessTimer));
    if (!done.await(deadline.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the load's clients did not stop");
    }
  }

  @Override
  public void close() throws Exception {
    stopping = true;
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }
}
