package dev.stint.facts;

import dev.stint.policy.FactCall;
import dev.stint.policy.FactContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;

/**
 * A fact provider of the server's own over HTTP ({@code facts.http.NAME}), in the shape of Azure
 * PIM's custom extensions: each lookup POSTs what the decision is about, as JSON, to the configured
 * URL with {@code Authorization: Bearer TOKEN}, and the answer must be a 2xx whose body is {@code
 * {"value": true}} or {@code {"value": false}}. Anything else (another status, a redirect, a value
 * that is not a JSON boolean, no JSON at all, a body past {@link #MAX_ANSWER_BYTES}) fails the
 * lookup, and so makes the fact false with the reason recorded.
 *
 * <p>What is sent is the whole question: the fact's name and argument, the person (issuer URL,
 * subject, the email only when it may be matched, the groups when known) and the request (its id
 * once it has one, profile, reason, ticket, duration). An answer is reused for the same question
 * only, the whole body being the cache key: an answer about one request or one person is never
 * served for another.
 */
public final class HttpFacts implements FactProvider {
  /** Far more than {@code {"value": false}} needs; a provider that sends more is broken. */
  static final int MAX_ANSWER_BYTES = 16 * 1024;

  private final String name;
  private final OutsideApi api;
  private final LookupCache<Boolean> cache;

  /** {@code url}: https, or http to this machine; {@code token}: sent as a bearer token. */
  public HttpFacts(WebClient web, String name, URI url, String token, LookupSettings settings) {
    if (!FactCall.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a fact provider's name: " + name);
    }
    this.name = name;
    String shown = "facts.http." + name;
    this.api =
        new OutsideApi(
            web,
            new OutsideApi.Endpoint(shown, url, "Bearer " + token, "application/json"),
            settings);
    this.cache = new LookupCache<>(shown, settings);
  }

  @Override
  public Future<Boolean> ask(FactCall call, FactContext about) {
    if (!call.name().equals(name)) {
      return Future.failedFuture(
          new FactLookupException("facts.http." + name + " does not answer " + call));
    }
    JsonObject question = question(call, about);
    return cache.get(question.encode(), () -> api.within(lookUp(question)));
  }

  private Future<Boolean> lookUp(JsonObject question) {
    return api.post(question, MAX_ANSWER_BYTES)
        .compose(
            answer -> {
              if (answer.status() < 200 || answer.status() > 299) {
                return Future.failedFuture(api.refused(answer));
              }
              try {
                JsonObject body = JsonShapes.object(answer.json(), "body");
                return Future.succeededFuture(JsonShapes.flag(body.getValue("value"), "/value"));
              } catch (IllegalArgumentException e) {
                return Future.failedFuture(api.malformed(answer.status(), e.getMessage()));
              }
            });
  }

  /** The body of a lookup, every field always present (null when unknown), in a fixed order. */
  static JsonObject question(FactCall call, FactContext about) {
    FactContext.Who who = about.who();
    JsonObject principal =
        new JsonObject()
            .put("issuer", who.issuer())
            .put("subject", who.subject())
            .put("email", who.email().orElse(null))
            .put("groups", who.groups().map(JsonArray::new).orElse(null));
    JsonObject request =
        about
            .request()
            .map(
                r ->
                    new JsonObject()
                        .put("id", r.id().orElse(null))
                        .put("profile", r.profile())
                        .put("reason", r.reason())
                        .put("ticket", r.ticket().orElse(null))
                        .put("duration_seconds", r.duration().toSeconds()))
            .orElse(null);
    return new JsonObject()
        .put("fact", call.name())
        .put("argument", call.argument().orElse(null))
        .put("principal", principal)
        .put("request", request);
  }

  @Override
  public String toString() {
    return "HttpFacts[" + api + "]";
  }
}
