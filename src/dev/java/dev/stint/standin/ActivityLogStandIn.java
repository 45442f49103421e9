package dev.stint.standin;

import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.standin.RestServer.Reply;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DEVELOPMENT AND TEST ONLY: Azure Resource Manager's Activity Log API as stint reads it, from
 * Microsoft's public reference ("Activity Logs - List"): {@code GET /subscriptions/{id}/providers/
 * Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=…&$select=…}.
 *
 * <ul>
 *   <li>A bearer token is required, checked as ARM checks Entra's access tokens ({@link
 *       ArmTokenCheck}); each refusal is 401: none is {@code AuthenticationFailed}; one that is not
 *       a JWT signed RS256 by one of the keys of the Entra it trusts (its published keys), that
 *       names no {@code oid}, or comes from a reader app this stand-in does not know is {@code
 *       InvalidAuthenticationToken}, as is one not valid yet ({@code nbf}); one for another
 *       audience than this endpoint is {@code InvalidAuthenticationTokenAudience}; an expired one
 *       ({@code exp}, no leeway) {@code ExpiredAuthenticationToken}; one from another tenant than
 *       the subscriptions' ({@code iss} and {@code tid}) {@code InvalidAuthenticationTokenTenant}.
 *       A reader without a role on the subscription is 403 {@code AuthorizationFailed}; an unknown
 *       subscription 404 {@code SubscriptionNotFound}.
 *   <li>{@code $filter} takes only the documented patterns: {@code eventTimestamp ge 'T1'}, with
 *       {@code and eventTimestamp le 'T2'}, then at most one of {@code resourceGroupName}, {@code
 *       resourceUri}, {@code resourceProvider}, {@code correlationId} {@code eq '…'}; anything else
 *       is 400 {@code BadRequest}. {@code $select} keeps only the properties it names ({@link
 *       ActivityLogQuery}).
 *   <li>Events come newest first, {@link #pageSize} a page, the rest behind {@code nextLink}.
 *   <li>An event shows only {@link #deliverAfter} after its time, as Azure's arrive minutes late;
 *       {@link #throttle} answers the next calls 429 with {@code Retry-After}.
 * </ul>
 *
 * Errors are ARM's {@code {"error":{"code","message"}}} ({@link ArmErrors}). Thread-safe.
 */
public final class ActivityLogStandIn implements AutoCloseable {
  static final String PATH_PATTERN =
      "/subscriptions/([^/]+)/providers/Microsoft\\.Insights/eventtypes/management/values";
  private static final Pattern PATH = Pattern.compile(PATH_PATTERN, Pattern.CASE_INSENSITIVE);
  private final Clock clock;
  private final ArmTokenCheck tokens;
  private final RestServer server;
  private final Map<String, List<ActivityLogEvent>> events = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> readers = new ConcurrentHashMap<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private volatile Duration delivery = Duration.ZERO;
  private volatile int pageSize = 200;

  /**
   * An Activity Log whose time is {@code clock}'s, of subscriptions in Entra tenant {@code tenant},
   * taking tokens signed with one of {@code entraKeys} (what that Entra publishes).
   */
  public ActivityLogStandIn(Clock clock, String tenant, JWKSet entraKeys) {
    this.clock = clock;
    this.tokens =
        new ArmTokenCheck(
            clock,
            tenant,
            entraKeys,
            this::uri,
            appId -> readers.values().stream().anyMatch(s -> s.contains(appId)));
    this.server = new RestServer(this::answer, ArmErrors::throttled);
  }

  /** The management endpoint, e.g. {@code http://127.0.0.1:PORT}. */
  public URI uri() {
    return server.uri();
  }

  /** The audience a reader's token must be for: this endpoint, as Entra names a resource. */
  public String audience() {
    return tokens.audience();
  }

  /** {@code subscription} exists, and the app {@code readerAppId} may read its log. */
  public ActivityLogStandIn allow(String subscription, String readerAppId) {
    readers.computeIfAbsent(subscription, s -> ConcurrentHashMap.newKeySet()).add(readerAppId);
    events.computeIfAbsent(subscription, s -> new CopyOnWriteArrayList<>());
    return this;
  }

  /** Logs {@code event} in its subscription. */
  public void record(ActivityLogEvent event) {
    events.computeIfAbsent(event.subscription(), s -> new CopyOnWriteArrayList<>()).add(event);
  }

  /** Events show only this long after their time. */
  public ActivityLogStandIn deliverAfter(Duration late) {
    this.delivery = late;
    return this;
  }

  /** At most this many events a page. */
  public ActivityLogStandIn pageSize(int size) {
    this.pageSize = size;
    return this;
  }

  /** The next {@code calls} calls are answered 429, each saying to retry after {@code after}. */
  public void throttle(int calls, Duration after) {
    server.throttle(calls, after);
  }

  /** Calls received, refused and throttled ones included. */
  public int calls() {
    return server.calls();
  }

  /** The {@code $filter} of each call answered, in order. */
  public List<String> filters() {
    return List.copyOf(asked);
  }

  private Reply answer(HttpServerRequest request) {
    Matcher path = PATH.matcher(request.path());
    if (request.method() != HttpMethod.GET || !path.matches()) {
      return ArmErrors.error(404, "NotFound", "The requested resource was not found.");
    }
    String authorization = request.getHeader("Authorization");
    if (authorization == null) {
      return ArmErrors.error(
          401,
          "AuthenticationFailed",
          "Authentication failed. The 'Authorization' header is missing.");
    }
    ArmTokenCheck.Bearer bearer = tokens.bearer(authorization);
    if (bearer.refusal() != null) {
      return bearer.refusal();
    }
    String appId = bearer.appId();
    String subscription = path.group(1);
    if (!readers.containsKey(subscription)) {
      return ArmErrors.error(
          404,
          "SubscriptionNotFound",
          "The subscription '" + subscription + "' could not be found.");
    }
    if (!readers.get(subscription).contains(appId)) {
      return ArmErrors.error(
          403,
          "AuthorizationFailed",
          "The client with object id '"
              + appId
              + "' does not have authorization to perform action"
              + " 'Microsoft.Insights/eventtypes/values/read' over scope '/subscriptions/"
              + subscription
              + "'.");
    }
    if (request.getParam("api-version") == null) {
      return ArmErrors.error(
          400,
          "MissingApiVersionParameter",
          "The api-version query parameter (?api-version=) is required for all requests.");
    }
    if (!"2015-04-01".equals(request.getParam("api-version"))) {
      return ArmErrors.error(
          400,
          "InvalidApiVersionParameter",
          "The api-version '" + request.getParam("api-version") + "' is invalid.");
    }
    return page(request, subscription);
  }

  private Reply page(HttpServerRequest request, String subscription) {
    String filter = request.getParam("$filter");
    ActivityLogQuery.Parsed parsed =
        ActivityLogQuery.parse(filter, request.getParam("$select"), clock.instant());
    if (parsed.refusal() != null) {
      return parsed.refusal();
    }
    ActivityLogQuery query = parsed.query();
    asked.add(filter);
    Instant now = clock.instant();
    List<ActivityLogEvent> found = new ArrayList<>();
    for (ActivityLogEvent e : events.get(subscription)) {
      if (query.takes(e) && !e.time().plus(delivery).isAfter(now)) {
        found.add(e);
      }
    }
    found.sort(Comparator.comparing(ActivityLogEvent::time).reversed());
    int skip = skip(request.getParam("$skiptoken"));
    JsonArray value = new JsonArray();
    for (ActivityLogEvent e :
        found.subList(Math.min(skip, found.size()), Math.min(skip + pageSize, found.size()))) {
      value.add(query.selected(e.json()));
    }
    JsonObject body = new JsonObject().put("value", value);
    if (skip + pageSize < found.size()) {
      body.put("nextLink", next(request, skip + pageSize));
    }
    return Reply.json(200, body.encode());
  }

  private String next(HttpServerRequest request, int skip) {
    StringBuilder link = new StringBuilder(uri() + request.path() + "?api-version=2015-04-01");
    link.append("&$filter=").append(encode(request.getParam("$filter")));
    if (request.getParam("$select") != null) {
      link.append("&$select=").append(encode(request.getParam("$select")));
    }
    return link.append("&$skiptoken=").append(skip).toString();
  }

  private static int skip(String token) {
    try {
      return token == null ? 0 : Math.max(0, Integer.parseInt(token));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public void close() {
    server.close();
  }
}
