package dev.stint.bench;

import dev.stint.http.IngestRoutes;
import dev.stint.standin.CloudTrailEvent;
import dev.stint.testing.EventBridgeDeliveries;
import dev.stint.testing.TestIdp;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the growth bench does through the API to give both sides the same requests and calls: grants
 * approved by a vote, credentials minted on them, and calls pushed as EventBridge delivers
 * CloudTrail's events (by the access key that made them), each with an event id of its own.
 */
final class ScaleUse {
  static final String ACCOUNT = "111122223333";

  /** The bench's {@code activity.ingest_token}; both sides take pushed events with it. */
  static final String INGEST_TOKEN = "growth-bench-ingest-token-0123456789abcdef";

  private static final String[][] CALLS = {
    {"s3.amazonaws.com", "GetObject"},
    {"ec2.amazonaws.com", "DescribeInstances"},
    {"sts.amazonaws.com", "GetCallerIdentity"},
    {"logs.amazonaws.com", "FilterLogEvents"}
  };

  private final TestIdp idp;
  private final HttpClient http = HttpClient.newHttpClient();

  ScaleUse(TestIdp idp) {
    this.idp = idp;
  }

  /** A request of {@code profile} for {@code seconds} by the bearer of {@code token}, approved. */
  String approved(ScaleSide s, String profile, String token, int seconds, String reason)
      throws Exception {
    JsonObject made =
        call(
            s,
            "/v1/requests",
            token,
            new JsonObject()
                .put("profile", profile)
                .put("duration_seconds", seconds)
                .put("reason", reason),
            201);
    String id = made.getString("id");
    call(
        s,
        "/v1/requests/" + id + "/approve",
        idp.token("bench-approver", "sre"),
        new JsonObject(),
        200);
    return id;
  }

  /**
   * {@code n} requests of {@code profile} for {@code seconds}, by as many people named from {@code
   * prefix}, each approved by one vote: answers their ids.
   */
  List<String> approved(ScaleSide s, String profile, String prefix, int n, int seconds)
      throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(
          approved(s, profile, idp.token(prefix + i, "eng"), seconds, "INC-26 growth bench " + i));
    }
    return ids;
  }

  /** A credential of {@code profile} for the bearer of {@code token}: its access key id. */
  String mint(ScaleSide s, String token, String profile) throws Exception {
    return call(s, "/v1/credentials", token, new JsonObject().put("profile", profile), 200)
        .getString("access_key_id");
  }

  /** One new call made with {@code key} a moment ago, as EventBridge delivers it. */
  static String delivered(String key) {
    UUID id = UUID.randomUUID();
    String[] call = CALLS[(int) (id.getLeastSignificantBits() & 3)];
    return EventBridgeDeliveries.of(
        CloudTrailEvent.builder(call[0], call[1])
            .eventId(id.toString())
            .time(Instant.now().truncatedTo(ChronoUnit.SECONDS))
            .region("eu-west-1")
            .accessKeyId(key)
            .assumedRole("bench", "stint-bench")
            .build(),
        ACCOUNT);
  }

  /** Pushes {@code n} new calls made with {@code key}, one at a time. */
  void push(ScaleSide s, String key, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(s.uri(IngestRoutes.PATH))
                  .header("Authorization", "Bearer " + INGEST_TOKEN)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(delivered(key)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 204) {
        throw new IllegalStateException(
            s.name + ": ingest answered " + r.statusCode() + ": " + r.body());
      }
    }
  }

  /**
   * {@code n} grants of a minute, by as many people: a third never minted anything, a third minted
   * a credential that made no call, a third made one call. Answers the moment before they began,
   * the start of a window that holds them all once they have ended.
   */
  Instant shortGrants(ScaleSide s, String profile, int n) throws Exception {
    Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
    for (int i = 0; i < n; i++) {
      // Each used right after its approval: a loaded host takes longer than a grant's minute to
      // approve them all.
      String token = idp.token("bench-short-" + i, "eng");
      approved(s, profile, token, 60, "INC-26 growth bench " + i);
      if (i % 3 == 0) {
        continue;
      }
      String key = mint(s, token, profile);
      if (i % 3 == 2) {
        push(s, key, 1);
      }
    }
    return from;
  }

  /** How many grants {@code GET /v1/reports/unused?since=} lists on {@code s}. */
  int unusedListed(ScaleSide s, String auditor, Instant since) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(s.uri("/v1/reports/unused?since=" + since))
                .header("Authorization", "Bearer " + auditor)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body()).getJsonArray("grants").size();
  }

  /** The cursor after {@code pages} pages of {@code path} (a list answering next_cursor). */
  String cursorAfter(ScaleSide s, String path, String token, int pages) throws Exception {
    String cursor = null;
    for (int i = 0; i < pages; i++) {
      URI uri =
          s.uri(
              path + (cursor == null ? "" : (path.contains("?") ? "&" : "?") + "cursor=" + cursor));
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      cursor = new JsonObject(page.body()).getString("next_cursor");
      if (cursor == null) {
        throw new IllegalStateException(
            s.name + ": " + path + " has fewer than " + pages + " pages");
      }
    }
    return cursor;
  }

  private JsonObject call(ScaleSide s, String path, String token, JsonObject body, int expected)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(s.uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
      throw new IllegalStateException(
          s.name + ": " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body());
  }
}
