package dev.stint.facts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.common.SecureUrls;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One outside system's HTTP API as the fact lookups call it: GET under its base URL (or POST a JSON
 * body to it) with its credential, within the lookup's timeout, the answer's body read up to a cap
 * ({@link #MAX_BODY_BYTES} unless the caller gives a smaller one) and parsed as JSON. Any status is
 * an answer; only no answer (unreachable, too slow, too big) is a failure here. Every message names
 * the system and never the credential.
 */
final class OutsideApi {
  static final int MAX_BODY_BYTES = 1024 * 1024;

  /**
   * The longest a throttled source is left alone, whatever it asks: a broken header must not switch
   * a fact off for hours.
   */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(15);

  /**
   * Who is called: its name in messages, its base URL (https, or http to this machine), and the
   * {@code Authorization} and {@code Accept} headers of every call. The authorization is a secret:
   * {@link #toString()} leaves it out.
   */
  record Endpoint(String name, URI base, String authorization, String accept) {
    Endpoint {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(authorization, "authorization");
      Objects.requireNonNull(accept, "accept");
      if (!SecureUrls.httpsOrLoopback(base)) {
        throw new IllegalArgumentException(
            name + "'s URL must be https, or http to this machine: " + SecureUrls.shown(base));
      }
      if (base.getRawQuery() != null || base.getRawFragment() != null) {
        throw new IllegalArgumentException(
            name + "'s URL must not have a query or fragment: " + SecureUrls.shown(base));
      }
      String text = base.toString();
      base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    @Override
    public String toString() {
      return name + " at " + SecureUrls.shown(base);
    }
  }

  /**
   * What the system answered: its status, its body as JSON (null when it was not JSON), and how
   * long it asked not to be called again (a throttled call only).
   */
  record Answer(int status, Object json, Optional<Duration> retryAfter) {}

  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final WebClient web;
  private final Endpoint endpoint;
  private final LookupSettings settings;

  OutsideApi(WebClient web, Endpoint endpoint, LookupSettings settings) {
    this.web = Objects.requireNonNull(web, "web");
    this.endpoint = endpoint;
    this.settings = settings;
  }

  String name() {
    return endpoint.name();
  }

  /** GET {@code path} under the base URL with {@code query} (a name may repeat). */
  Future<Answer> get(String path, List<Map.Entry<String, String>> query) {
    HttpRequest<Buffer> request =
        web.getAbs(endpoint.base() + path)
            // A redirect would carry the token to wherever it points; the client's own setting
            // is not relied on.
            .followRedirects(false)
            .timeout(settings.timeout().toMillis())
            .putHeader("Authorization", endpoint.authorization())
            .putHeader("Accept", endpoint.accept());
    query.forEach(q -> request.addQueryParam(q.getKey(), q.getValue()));
    CappedBody body = new CappedBody(MAX_BODY_BYTES);
    return answered(request.as(BodyCodec.pipe(body, false)).send(), body);
  }

  /** POST {@code json} to the base URL itself; an answer's body longer than {@code cap} fails. */
  Future<Answer> post(JsonObject json, int cap) {
    CappedBody body = new CappedBody(cap);
    return answered(
        web.postAbs(endpoint.base().toString())
            .followRedirects(false)
            .timeout(settings.timeout().toMillis())
            .putHeader("Authorization", endpoint.authorization())
            .putHeader("Accept", endpoint.accept())
            .as(BodyCodec.pipe(body, false))
            .sendJsonObject(json),
        body);
  }

  private Future<Answer> answered(Future<HttpResponse<Void>> sent, CappedBody body) {
    return sent.transform(
        done ->
            done.succeeded()
                ? answer(done.result(), body)
                : Future.failedFuture(unreachable(done.cause())));
  }

  /** {@code lookup}, failed when it has not finished within the timeout, however many calls. */
  <T> Future<T> within(Future<T> lookup) {
    return lookup
        .timeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(e instanceof TimeoutException ? timedOut() : e));
  }

  /** The system answered, but not with what was asked: its status is the reason. */
  FactLookupException refused(Answer answer) {
    return new FactLookupException(name() + " answered " + answer.status(), answer.retryAfter());
  }

  /** The system answered {@code status} with a body that is not what its reference says. */
  FactLookupException malformed(int status, String what) {
    return new FactLookupException(name() + " answered " + status + " with " + what);
  }

  private Future<Answer> answer(HttpResponse<Void> response, CappedBody body) {
    if (body.overflowed()) {
      return Future.failedFuture(
          malformed(response.statusCode(), "a body larger than " + body.cap() + " bytes"));
    }
    Object json;
    try {
      json = body.body().length() == 0 ? null : strictJson(body.body());
    } catch (DecodeException | IOException e) {
      json = null;
    }
    return Future.succeededFuture(new Answer(response.statusCode(), json, retryAfter(response)));
  }

  /**
   * The body as JSON, refused when a key appears twice in one object: {@code {"value": false,
   * "value": true}} has no one answer, whatever a parser would keep.
   */
  private static Object strictJson(Buffer body) throws IOException {
    STRICT.readTree(body.getBytes());
    return Json.decodeValue(body);
  }

  /**
   * How long a 429 asks to wait: {@code Retry-After} (seconds or an HTTP date), else PagerDuty's
   * {@code ratelimit-reset} (seconds), which its reference names instead; capped.
   */
  private Optional<Duration> retryAfter(HttpResponse<Void> response) {
    if (response.statusCode() != 429) {
      return Optional.empty();
    }
    String header = response.getHeader("Retry-After");
    String value = header != null ? header : response.getHeader("ratelimit-reset");
    if (value == null) {
      return Optional.empty();
    }
    Duration wait;
    String v = value.strip();
    if (v.matches("\\d{1,9}")) {
      wait = Duration.ofSeconds(Long.parseLong(v));
    } else {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        wait = Duration.between(settings.clock().instant(), at.toInstant());
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    if (wait.isNegative() || wait.isZero()) {
      return Optional.empty();
    }
    return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
  }

  private FactLookupException unreachable(Throwable cause) {
    if (cause instanceof TimeoutException) {
      return timedOut();
    }
    if (cause instanceof FactLookupException known) {
      return known;
    }
    // The class alone: a cause's message may quote the URL, and nothing more is needed to tell
    // a refused connection from a reset one.
    return new FactLookupException(
        name() + " could not be reached (" + cause.getClass().getSimpleName() + ")");
  }

  @Override
  public String toString() {
    return endpoint.toString();
  }

  private FactLookupException timedOut() {
    return new FactLookupException(
        name() + " did not answer within " + settings.timeout().toMillis() + " ms");
  }
}
