package dev.stint.standin;

import dev.stint.standin.RestServer.Reply;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * DEVELOPMENT AND TEST ONLY: a fact provider of one's own, as stint's {@code facts.http.NAME} calls
 * it (docs/policies.md, "Facts from your own systems"): {@code POST /} with a JSON question {@code
 * {fact, argument, principal, request}} and {@code Authorization: Bearer TOKEN}, answered {@code
 * {"value": true|false}}, the value as set for the fact's name and argument (false when none is
 * set). A wrong or missing token is 401, another method 405, a body that is not a JSON object 400;
 * a throttled call is 429 with {@code Retry-After}. Every question received is kept, so a test can
 * see exactly what stint sent. Thread-safe.
 */
public final class HttpFactStandIn implements AutoCloseable {
  private final String authorization;
  private final Map<String, Boolean> values = new ConcurrentHashMap<>();
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final RestServer server;

  /** A provider whose one credential is the bearer token {@code token}. */
  public HttpFactStandIn(String token) {
    this.authorization = "Bearer " + token;
    this.server = new RestServer(this::answer, HttpFactStandIn::throttled);
  }

  /** Where stint posts its questions: {@code http://127.0.0.1:PORT/facts}. */
  public URI uri() {
    return URI.create(server.uri() + "/facts");
  }

  /** Calls received, refused ones included. */
  public int calls() {
    return server.calls();
  }

  /** The questions received with the right token, oldest first. */
  public List<JsonObject> received() {
    return List.copyOf(received);
  }

  /** {@code fact("NAME")} is answered {@code value} from now on. */
  public void answer(String fact, boolean value) {
    values.put(key(fact, null), value);
  }

  /** {@code fact("NAME", "ARGUMENT")} is answered {@code value} from now on. */
  public void answer(String fact, String argument, boolean value) {
    values.put(key(fact, argument), value);
  }

  /** Every call from now on is answered {@code status} with {@code body}; null goes back. */
  public void answerInstead(int status, String body) {
    server.answerInstead(Reply.json(status, body));
  }

  /** Back to the answers set. */
  public void answerAsSet() {
    server.answerInstead(null);
  }

  /** The next {@code calls} calls are answered 429, each saying to wait {@code retryAfter}. */
  public void throttle(int calls, Duration retryAfter) {
    server.throttle(calls, retryAfter);
  }

  /** Every answer from now on comes {@code by} late. */
  public void delay(Duration by) {
    server.delay(by);
  }

  private Reply answer(HttpServerRequest request, Buffer body) {
    if (!authorization.equals(request.getHeader("Authorization"))) {
      return Reply.json(401, "{\"error\":\"unauthorized\"}");
    }
    if (request.method() != HttpMethod.POST || !"/facts".equals(request.path())) {
      return Reply.json(405, "{\"error\":\"POST /facts only\"}");
    }
    JsonObject question;
    try {
      question = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return Reply.json(400, "{\"error\":\"the body must be a JSON object\"}");
    }
    received.add(question);
    String fact = question.getValue("fact") instanceof String s ? s : "";
    String argument = question.getValue("argument") instanceof String s ? s : null;
    boolean value = values.getOrDefault(key(fact, argument), false);
    return Reply.json(200, new JsonObject().put("value", value).encode());
  }

  private static String key(String fact, String argument) {
    return argument == null ? fact : fact + "\n" + argument;
  }

  private static Reply throttled(Duration retryAfter) {
    return new Reply(
        429,
        Map.of(
            "Content-Type",
            "application/json",
            "Retry-After",
            Long.toString(Math.max(1, retryAfter.toSeconds()))),
        "{\"error\":\"too many requests\"}");
  }

  @Override
  public void close() {
    server.close();
  }
}
