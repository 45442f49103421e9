package dev.stint.testing;

import dev.stint.standin.QueryRequest;
import dev.stint.standin.QueryServer;
import dev.stint.standin.Refusal;
import dev.stint.standin.StandInReply;
import dev.stint.standin.Xml;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * What the tests' fake AWS endpoints (STS, IAM, sign-in) share: the stand-ins' {@link QueryServer}
 * (127.0.0.1, port 0, one event loop of its own), every request kept for assertions (the most
 * recent {@value #KEPT_CALLS}), and answers that can come late ({@link Answer#after}) or wait for
 * the test ({@link Answer#until}) with no thread waiting. Subclasses answer; what AWS refuses they
 * take from {@code dev.stint.standin}, as the demo's stand-ins do.
 */
public abstract class FakeAwsEndpoint implements AutoCloseable {
  /** A long run must not grow without bound; no test makes this many calls. */
  private static final int KEPT_CALLS = 10_000;

  /** One received request: its method, path, parameters (form body or query) and headers. */
  public record Call(
      String method, String path, Map<String, String> params, Map<String, List<String>> headers) {
    public String param(String name) {
      return params.get(name);
    }

    /** The same request, as the stand-in rules take it. */
    public QueryRequest request() {
      return new QueryRequest(method, path, params, headers);
    }

    static Call of(QueryRequest request) {
      return new Call(request.method(), request.path(), request.params(), request.headers());
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

    static Answer of(StandInReply reply) {
      return new Answer(reply.status(), reply.contentType(), reply.body());
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

  private final QueryServer server = new QueryServer(this::reply);
  private final Deque<Call> calls = new ArrayDeque<>();

  /** Off under load: a benchmark needs no record, and keeping one costs a lock per call. */
  private volatile boolean recording = true;

  /** The base URL, e.g. {@code http://127.0.0.1:PORT}. */
  public URI uri() {
    return server.uri();
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

  /** The answer to {@code call}; it must not block. */
  protected abstract Answer answer(Call call);

  /** Stops keeping calls (and, in subclasses, what they issued): for long load runs. */
  protected void stopRecording() {
    recording = false;
  }

  protected boolean recording() {
    return recording;
  }

  private CompletionStage<StandInReply> reply(QueryRequest request) {
    Call call = Call.of(request);
    if (recording) {
      synchronized (calls) {
        calls.addLast(call);
        if (calls.size() > KEPT_CALLS) {
          calls.removeFirst();
        }
      }
    }
    Answer answer = answer(call);
    StandInReply reply = new StandInReply(answer.status(), answer.contentType(), answer.body());
    CompletableFuture<StandInReply> sent = new CompletableFuture<>();
    answer
        .gate()
        .whenComplete(
            (released, failed) -> {
              if (answer.delay().isZero()) {
                sent.complete(reply);
              } else {
                // On the JDK's one timer thread: nothing of the fake waits out the delay.
                CompletableFuture.delayedExecutor(answer.delay().toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> sent.complete(reply));
              }
            });
    return sent;
  }

  /** XML-escapes text placed in a response element. */
  protected static String xml(String s) {
    return Xml.escape(s);
  }

  protected static String requestId() {
    return StandInReply.requestId();
  }

  /** An AWS query-protocol error document (what STS and IAM answer on failure). */
  protected static Answer error(int status, String type, String code, String message) {
    return error(
        new Refusal(status, type, code, message), "https://sts.amazonaws.com/doc/2011-06-15/");
  }

  protected static Answer error(Refusal refusal, String namespace) {
    return Answer.of(StandInReply.error(refusal, namespace));
  }

  @Override
  public void close() {
    server.close();
  }
}
