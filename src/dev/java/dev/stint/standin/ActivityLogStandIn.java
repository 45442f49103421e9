package dev.stint.standin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.standin.RestServer.Reply;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
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
 *   <li>A bearer token is required, checked as ARM checks Entra's access tokens; each refusal is
 *       401: none is {@code AuthenticationFailed}; one that is not a JWT signed RS256 by one of the
 *       keys of the Entra it trusts (its published keys), that names no {@code oid}, or comes from
 *       a reader app this stand-in does not know is {@code InvalidAuthenticationToken}, as is one
 *       not valid yet ({@code nbf}); one for another audience than this endpoint is {@code
 *       InvalidAuthenticationTokenAudience}; an expired one ({@code exp}, no leeway) {@code
 *       ExpiredAuthenticationToken}; one from another tenant than the subscriptions' ({@code iss}
 *       and {@code tid}) {@code InvalidAuthenticationTokenTenant}. A reader without a role on the
 *       subscription is 403 {@code AuthorizationFailed}; an unknown subscription 404 {@code
 *       SubscriptionNotFound}.
 *   <li>{@code $filter} takes only the documented patterns: {@code eventTimestamp ge 'T1'}, with
 *       {@code and eventTimestamp le 'T2'}, then at most one of {@code resourceGroupName}, {@code
 *       resourceUri}, {@code resourceProvider}, {@code correlationId} {@code eq '…'}; anything else
 *       is 400 {@code BadRequest}. {@code $select} keeps only the properties it names.
 *   <li>Events come newest first, {@link #pageSize} a page, the rest behind {@code nextLink}.
 *   <li>An event shows only {@link #deliverAfter} after its time, as Azure's arrive minutes late;
 *       {@link #throttle} answers the next calls 429 with {@code Retry-After}.
 * </ul>
 *
 * Errors are ARM's {@code {"error":{"code","message"}}}. Thread-safe.
 */
public final class ActivityLogStandIn implements AutoCloseable {
  static final String PATH_PATTERN =
      "/subscriptions/([^/]+)/providers/Microsoft\\.Insights/eventtypes/management/values";
  private static final Pattern PATH = Pattern.compile(PATH_PATTERN, Pattern.CASE_INSENSITIVE);
  private static final Pattern FILTER =
      Pattern.compile(
          "eventTimestamp ge '([^']+)'(?: and eventTimestamp le '([^']+)')?"
              + "(?: and (resourceGroupName|resourceUri|resourceProvider|correlationId)"
              + " eq '([^']*)')?");
  private static final Set<String> SELECTABLE =
      Set.of(
          "authorization",
          "claims",
          "correlationId",
          "description",
          "eventDataId",
          "eventName",
          "eventTimestamp",
          "httpRequest",
          "level",
          "operationId",
          "operationName",
          "properties",
          "resourceGroupName",
          "resourceProviderName",
          "resourceId",
          "status",
          "submissionTimestamp",
          "subStatus",
          "subscriptionId");

  /** How ARM writes a time in its messages: .NET's default, in UTC. */
  private static final DateTimeFormatter ARM_TIME =
      DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

  private static final String INVALID = "The access token is invalid.";

  private final Clock clock;
  private final String tenant;
  private final JWKSet entraKeys;
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
    this.tenant = tenant;
    this.entraKeys = entraKeys.toPublicJWKSet();
    this.server = new RestServer(this::answer, ActivityLogStandIn::throttled);
  }

  /** The management endpoint, e.g. {@code http://127.0.0.1:PORT}. */
  public URI uri() {
    return server.uri();
  }

  /** The audience a reader's token must be for: this endpoint, as Entra names a resource. */
  public String audience() {
    return uri() + "/";
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
      return error(404, "NotFound", "The requested resource was not found.");
    }
    String authorization = request.getHeader("Authorization");
    if (authorization == null) {
      return error(
          401,
          "AuthenticationFailed",
          "Authentication failed. The 'Authorization' header is missing.");
    }
    Bearer bearer = bearer(authorization);
    if (bearer.refusal() != null) {
      return bearer.refusal();
    }
    String appId = bearer.appId();
    String subscription = path.group(1);
    if (!readers.containsKey(subscription)) {
      return error(
          404,
          "SubscriptionNotFound",
          "The subscription '" + subscription + "' could not be found.");
    }
    if (!readers.get(subscription).contains(appId)) {
      return error(
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
      return error(
          400,
          "MissingApiVersionParameter",
          "The api-version query parameter (?api-version=) is required for all requests.");
    }
    if (!"2015-04-01".equals(request.getParam("api-version"))) {
      return error(
          400,
          "InvalidApiVersionParameter",
          "The api-version '" + request.getParam("api-version") + "' is invalid.");
    }
    return page(request, subscription);
  }

  private Reply page(HttpServerRequest request, String subscription) {
    String filter = request.getParam("$filter");
    Matcher f = filter == null ? null : FILTER.matcher(filter.strip());
    if (f == null || !f.matches()) {
      return error(400, "BadRequest", "The $filter '" + filter + "' is not supported.");
    }
    Instant from;
    Instant to;
    try {
      from = OffsetDateTime.parse(f.group(1)).toInstant();
      to = f.group(2) == null ? clock.instant() : OffsetDateTime.parse(f.group(2)).toInstant();
    } catch (DateTimeParseException e) {
      return error(400, "BadRequest", "The $filter has a time that is not a date.");
    }
    String select = request.getParam("$select");
    List<String> fields = select == null ? List.of() : List.of(select.split(","));
    if (!SELECTABLE.containsAll(fields)) {
      return error(400, "BadRequest", "The $select '" + select + "' names an unknown property.");
    }
    asked.add(filter);
    Instant now = clock.instant();
    List<ActivityLogEvent> found = new ArrayList<>();
    for (ActivityLogEvent e : events.get(subscription)) {
      if (!e.time().isBefore(from)
          && !e.time().isAfter(to)
          && !e.time().plus(delivery).isAfter(now)
          && narrowed(e, f.group(3), f.group(4))) {
        found.add(e);
      }
    }
    found.sort(Comparator.comparing(ActivityLogEvent::time).reversed());
    int skip = skip(request.getParam("$skiptoken"));
    JsonArray value = new JsonArray();
    for (ActivityLogEvent e :
        found.subList(Math.min(skip, found.size()), Math.min(skip + pageSize, found.size()))) {
      value.add(selected(e.json(), fields));
    }
    JsonObject body = new JsonObject().put("value", value);
    if (skip + pageSize < found.size()) {
      body.put("nextLink", next(request, skip + pageSize));
    }
    return Reply.json(200, body.encode());
  }

  private static boolean narrowed(ActivityLogEvent e, String field, String value) {
    if (field == null) {
      return true;
    }
    JsonObject json = e.json();
    String actual =
        switch (field) {
          case "resourceGroupName" -> json.getString("resourceGroupName");
          case "resourceUri" -> json.getString("resourceId");
          case "resourceProvider" -> json.getJsonObject("resourceProviderName").getString("value");
          default -> json.getString("correlationId");
        };
    return value.equalsIgnoreCase(actual);
  }

  private static JsonObject selected(JsonObject event, List<String> fields) {
    if (fields.isEmpty()) {
      return event;
    }
    JsonObject out = new JsonObject();
    fields.forEach(name -> out.put(name, event.getValue(name)));
    return out;
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

  /** The reader app a bearer token is from, or ARM's refusal of it. */
  private record Bearer(String appId, Reply refusal) {
    static Bearer refused(String code, String message) {
      return new Bearer(null, error(401, code, message));
    }
  }

  /**
   * The token as ARM takes it: a JWT Entra signed (RS256, with the key its {@code kid} names among
   * those Entra publishes), for this endpoint, valid now, from the subscriptions' tenant, naming an
   * object id and a reader app this stand-in knows.
   */
  private Bearer bearer(String authorization) {
    if (!authorization.startsWith("Bearer ")) {
      return Bearer.refused("InvalidAuthenticationToken", INVALID);
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(authorization.substring("Bearer ".length()).strip());
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      return Bearer.refused("InvalidAuthenticationToken", INVALID);
    }
    if (!signedByEntra(jwt)) {
      return Bearer.refused("InvalidAuthenticationToken", INVALID);
    }
    return accepted(claims);
  }

  /** The claims of a token Entra signed, as ARM takes them: in order, as it checks them. */
  private Bearer accepted(JWTClaimsSet claims) {
    List<String> audiences = claims.getAudience() == null ? List.of() : claims.getAudience();
    if (audiences.size() != 1
        || !(audiences.get(0).equals(audience()) || audiences.get(0).equals(uri().toString()))) {
      return Bearer.refused(
          "InvalidAuthenticationTokenAudience",
          "The access token has been obtained for wrong audience or resource '"
              + String.join(",", audiences)
              + "'. It should exactly match with one of the allowed audiences '"
              + audience()
              + "','"
              + uri()
              + "'.");
    }
    Instant now = clock.instant();
    Date expires = claims.getExpirationTime();
    if (expires == null || !now.isBefore(expires.toInstant())) {
      return Bearer.refused(
          "ExpiredAuthenticationToken",
          "The access token expiry UTC time '"
              + (expires == null ? "" : ARM_TIME.format(expires.toInstant()))
              + "' is earlier than current UTC time '"
              + ARM_TIME.format(now)
              + "'.");
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && now.isBefore(notBefore.toInstant())) {
      return Bearer.refused("InvalidAuthenticationToken", INVALID);
    }
    String issuer = "https://sts.windows.net/" + tenant + "/";
    if (!issuer.equals(claims.getIssuer()) || !tenant.equals(claim(claims, "tid"))) {
      return wrongTenant(claims.getIssuer(), issuer);
    }
    if (claim(claims, "oid") == null
        && claim(claims, "puid") == null
        && claim(claims, "altsecid") == null) {
      return Bearer.refused(
          "InvalidAuthenticationToken",
          "The received access token is not valid: at least one of the claims 'puid' or"
              + " 'altsecid' or 'oid' should be present. If you are accessing as application"
              + " please make sure service principal is properly created in the tenant.");
    }
    String appId = claim(claims, "appid");
    boolean known = appId != null && readers.values().stream().anyMatch(s -> s.contains(appId));
    return known ? new Bearer(appId, null) : Bearer.refused("InvalidAuthenticationToken", INVALID);
  }

  private Bearer wrongTenant(String presented, String issuer) {
    return Bearer.refused(
        "InvalidAuthenticationTokenTenant",
        "The access token is from the wrong issuer '"
            + presented
            + "'. It must match the tenant '"
            + issuer
            + "' associated with this subscription. Please use the authority (URL)"
            + " 'https://login.windows.net/"
            + tenant
            + "' to get the token. Note, if the subscription is transferred to another tenant"
            + " there is no impact to the services, but information about new tenant could"
            + " take time to propagate (up to an hour). If you just transferred your"
            + " subscription and see this error message, please try back later.");
  }

  /** Whether the token's RS256 signature verifies with the Entra key its {@code kid} names. */
  private boolean signedByEntra(SignedJWT jwt) {
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      return false;
    }
    String kid = jwt.getHeader().getKeyID();
    JWK key = kid == null ? null : entraKeys.getKeyByKeyId(kid);
    try {
      return key instanceof RSAKey rsa && jwt.verify(new RSASSAVerifier(rsa));
    } catch (JOSEException e) {
      return false;
    }
  }

  private static String claim(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    return value instanceof String s ? s : null;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Reply throttled(Duration after) {
    Reply r =
        error(
            429,
            "TooManyRequests",
            "The request is being throttled as the limit has been reached for operation type"
                + " - Read_ObservationWindow_00:05:00.");
    return new Reply(
        429,
        Map.of(
            "Content-Type", "application/json", "Retry-After", String.valueOf(after.toSeconds())),
        r.body());
  }

  private static Reply error(int status, String code, String message) {
    return Reply.json(
        status,
        new JsonObject()
            .put("error", new JsonObject().put("code", code).put("message", message))
            .encode());
  }

  @Override
  public void close() {
    server.close();
  }
}
