package dev.stint.standin;

import dev.stint.standin.RestServer.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * DEVELOPMENT AND TEST ONLY: PagerDuty's REST API as far as on-call lookups use it, from its public
 * reference. {@code GET /oncalls}: {@code Authorization: Token token=…} or 401; the on-calls of the
 * {@code schedule_ids[]} asked for (an unknown schedule is filtered to nothing, not refused), each
 * with its user as a reference, or the whole user with its {@code email} when {@code
 * include[]=users}; pages by {@code limit} (default 25, at most 100) and {@code offset}, with
 * {@code more}, and {@code total} null unless {@code total=true}. {@code GET /schedules/ID}: the
 * schedule, or 404. Errors are PagerDuty's {@code {"error":{"message","code"}}}; a throttled call
 * is 429 with {@code ratelimit-reset}, the seconds to wait. Thread-safe.
 */
public final class PagerDutyStandIn implements AutoCloseable {
  static final int DEFAULT_LIMIT = 25;
  static final int MAX_LIMIT = 100;

  private final String token;
  private final Map<String, List<String>> schedules = new ConcurrentSkipListMap<>();
  private final RestServer server;

  /** A PagerDuty whose one REST API key is {@code token}. */
  public PagerDutyStandIn(String token) {
    this.token = token;
    this.server = new RestServer(this::answer, PagerDutyStandIn::throttled);
  }

  public URI uri() {
    return server.uri();
  }

  /** Calls received, refused ones included. */
  public int calls() {
    return server.calls();
  }

  /** The next {@code calls} calls are answered 429, each saying to wait {@code retryAfter}. */
  public void throttle(int calls, Duration retryAfter) {
    server.throttle(calls, retryAfter);
  }

  /** Every answer from now on comes {@code by} late. */
  public void delay(Duration by) {
    server.delay(by);
  }

  /**
   * Every call from now on is answered {@code status} with {@code body} as JSON, whatever it is.
   */
  public void answerInstead(int status, String body) {
    server.answerInstead(Reply.json(status, body));
  }

  /** Who is on call now in each schedule (by id), by email, first escalation level first. */
  public SortedMap<String, List<String>> onCallNow() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(schedules));
  }

  /**
   * Opens the demo's controls at {@link #controls()}, answered by {@code page}: a path PagerDuty's
   * API does not have, answered without its token, the API unchanged.
   */
  public void openControls(Function<QueryRequest, StandInReply> page) {
    server.openControls(page);
  }

  /** Where {@link #openControls} serves its page. */
  public URI controls() {
    return URI.create(uri() + RestServer.CONTROLS);
  }

  /** Schedule {@code scheduleId} has these people on call now, one escalation level each. */
  public void onCall(String scheduleId, String... emails) {
    schedules.put(scheduleId, List.of(emails));
  }

  /** Schedule {@code scheduleId} exists and has nobody on call now. */
  public void nobodyOnCall(String scheduleId) {
    schedules.put(scheduleId, List.of());
  }

  private Reply answer(HttpServerRequest request) {
    if (!("Token token=" + token).equals(request.getHeader("Authorization"))) {
      return error(401, 2006, "Authentication failed");
    }
    if (request.method() != HttpMethod.GET) {
      return error(404, 2100, "Not Found");
    }
    if ("/oncalls".equals(request.path())) {
      return oncalls(request.params());
    }
    if (request.path().startsWith("/schedules/")) {
      return schedule(request.path().substring("/schedules/".length()));
    }
    return error(404, 2100, "Not Found");
  }

  private Reply oncalls(MultiMap params) {
    int limit;
    int offset;
    try {
      limit = Math.min(MAX_LIMIT, number(params.get("limit"), DEFAULT_LIMIT));
      offset = number(params.get("offset"), 0);
    } catch (IllegalArgumentException e) {
      return error(400, 2001, "Invalid Input Provided");
    }
    boolean users = params.getAll("include[]").contains("users");
    List<String> asked = params.getAll("schedule_ids[]");
    List<JsonObject> all = new ArrayList<>();
    schedules.forEach(
        (id, emails) -> {
          if (asked.isEmpty() || asked.contains(id)) {
            for (int i = 0; i < emails.size(); i++) {
              all.add(oncall(id, emails.get(i), i + 1, users));
            }
          }
        });
    int from = Math.min(offset, all.size());
    int to = Math.min(offset + limit, all.size());
    return Reply.json(
        200,
        new JsonObject()
            .put("oncalls", new JsonArray(new ArrayList<>(all.subList(from, to))))
            .put("limit", limit)
            .put("offset", offset)
            .put("more", offset + limit < all.size())
            .put("total", "true".equals(params.get("total")) ? all.size() : null)
            .encode());
  }

  private JsonObject oncall(String scheduleId, String email, int level, boolean users) {
    String userId = "P" + id(email);
    int at = email.indexOf('@');
    JsonObject user = reference("user", userId, at < 0 ? email : email.substring(0, at));
    if (users) {
      user.put("type", "user")
          .put("name", user.getString("summary"))
          .put("email", email)
          .put("time_zone", "Etc/UTC")
          .put("role", "user");
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return new JsonObject()
        .put("escalation_policy", reference("escalation_policy", "PSTANDIN", "Stand-in policy"))
        .put("escalation_level", level)
        .put("schedule", reference("schedule", scheduleId, "Schedule " + scheduleId))
        .put("user", user)
        .put("start", now.minus(Duration.ofHours(1)).toString())
        .put("end", now.plus(Duration.ofHours(1)).toString());
  }

  private Reply schedule(String scheduleId) {
    if (!schedules.containsKey(scheduleId)) {
      return error(404, 2100, "Not Found");
    }
    JsonObject schedule =
        reference("schedule", scheduleId, "Schedule " + scheduleId)
            .put("type", "schedule")
            .put("name", "Schedule " + scheduleId)
            .put("time_zone", "Etc/UTC");
    return Reply.json(200, new JsonObject().put("schedule", schedule).encode());
  }

  /** A reference to one of PagerDuty's objects, as its answers embed them. */
  private JsonObject reference(String type, String id, String summary) {
    String plural = type + "s";
    return new JsonObject()
        .put("id", id)
        .put("type", type + "_reference")
        .put("summary", summary)
        .put("self", uri() + "/" + plural + "/" + id)
        .put("html_url", "https://standin.pagerduty.com/" + plural + "/" + id);
  }

  private static Reply error(int status, int code, String message) {
    return Reply.json(
        status,
        new JsonObject()
            .put("error", new JsonObject().put("message", message).put("code", code))
            .encode());
  }

  private static Reply throttled(Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    Reply refused = error(429, 2020, "Rate Limit Exceeded");
    return new Reply(
        429,
        Map.of(
            "Content-Type", "application/json",
            "ratelimit-remaining", "0",
            "ratelimit-reset", Long.toString(seconds)),
        refused.body());
  }

  private static int number(String value, int absent) {
    if (value == null) {
      return absent;
    }
    if (!value.matches("\\d{1,9}")) {
      throw new IllegalArgumentException("not a count: " + value);
    }
    return Integer.parseInt(value);
  }

  /** A stable PagerDuty-looking id for a person: a few capitals and digits. */
  private static String id(String email) {
    return HexFormat.of().withUpperCase().toHexDigits(email.hashCode()).substring(0, 6);
  }

  @Override
  public void close() {
    server.close();
  }
}
