package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.MutableClock;
import dev.stint.testing.SseLines;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An audit event stream lives only as long as the identity that opened it: it ends, with a last
 * {@code event: end} saying why, when the bearer token expires, when the web session ends (logout
 * or expiry), and when a policy reload takes the auditor role away. Open streams are capped per
 * person and in all.
 */
class EventStreamLifetimeIT {
  private final HttpClient http = HttpClient.newHttpClient();
  static final String SCIM_TOKEN = "scim-stream-it-token-0123456789abcdef0123";
  private final MutableClock clock = new MutableClock(Instant.now());
  private TestIdp idp;
  private TestServer server;
  private DatabaseUrl db;

  @BeforeEach
  void start() {
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            db,
            Map.of(
                "STINT_HTTP_STREAM_RECHECK", "1s",
                "STINT_HTTP_IDLE_TIMEOUT", "4s",
                "STINT_HTTP_MAX_EVENT_STREAMS", "3",
                "STINT_HTTP_MAX_EVENT_STREAMS_PER_PERSON", "2",
                "STINT_DIRECTORY_SCIM_TOKEN", SCIM_TOKEN,
                "STINT_DIRECTORY_ISSUER", "corp"),
            WebTestSetup.policy(idp),
            clock);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    idp.close();
  }

  private SseLines apiStream(String token) {
    return SseLines.open(
        http,
        HttpRequest.newBuilder(server.uri("/v1/events"))
            .header("Authorization", "Bearer " + token)
            .build());
  }

  /** Waits for the closing event, checks its reason, then for the end of the stream. */
  private static void endsWith(SseLines sse, String reason) throws InterruptedException {
    sse.await(l -> l.equals("event: end"));
    String data = sse.await(l -> l.startsWith("data: "));
    assertThat(new JsonObject(data.substring(6)).getString("reason")).isEqualTo(reason);
    sse.await(SseLines.END::equals);
  }

  @Test
  void anApiStreamEndsWhenItsTokenExpires() throws Exception {
    try (SseLines sse = apiStream(idp.token("sam", "security"))) {
      sse.await(l -> l.startsWith(": stint audit stream"));
      clock.advance(Duration.ofMinutes(61));
      endsWith(sse, "token_expired");
    }
  }

  @Test
  void heartbeatsKeepALiveStreamOpenPastTheIdleTimeout() throws Exception {
    try (SseLines sse = apiStream(idp.token("sam", "security"))) {
      sse.await(l -> l.startsWith(": stint audit stream"));
      for (int i = 0; i < 5; i++) {
        sse.await(l -> l.equals(": keepalive")); // five beats span more than the idle timeout
      }
    }
  }

  @Test
  void aWebStreamEndsAtLogout() throws Exception {
    Browser sam = new Browser(server);
    assertThat(sam.signIn(idp, "sam", "security").statusCode()).isEqualTo(303);
    String csrf = sam.csrf();
    try (SseLines sse =
        SseLines.open(sam.http, HttpRequest.newBuilder(server.uri("/ui/audit/events")).build())) {
      sse.await(l -> l.startsWith(": stint audit stream"));
      assertThat(sam.post("/ui/logout", Map.of("csrf", csrf)).body()).contains("signed out");
      endsWith(sse, "session_ended");
    }
  }

  @Test
  void aWebStreamEndsWhenTheSessionExpires() throws Exception {
    Browser sam = new Browser(server);
    assertThat(sam.signIn(idp, "sam", "security").statusCode()).isEqualTo(303);
    try (SseLines sse =
        SseLines.open(sam.http, HttpRequest.newBuilder(server.uri("/ui/audit/events")).build())) {
      sse.await(l -> l.startsWith(": stint audit stream"));
      clock.advance(Duration.ofHours(9));
      endsWith(sse, "session_ended");
    }
  }

  @Test
  void aStreamEndsWhenAPolicyReloadTakesTheAuditorRoleAway() throws Exception {
    try (SseLines sse = apiStream(idp.token("sam", "security"))) {
      sse.await(l -> l.startsWith(": stint audit stream"));
      Files.writeString(
          server.policiesDir().resolve("policy.yaml"),
          WebTestSetup.policy(idp).replace("g == \"security\"", "g == \"auditors\""));
      endsWith(sse, "not_auditor");
    }
  }

  @Test
  void anApiStreamEndsWhenTheDirectoryDeprovisionsItsReader() throws Exception {
    try (SseLines sse = apiStream(idp.token("sam", "security"))) {
      sse.await(l -> l.startsWith(": stint audit stream"));
      Eventually.until(
          "sam to be among the people seen",
          Duration.ofSeconds(10),
          () ->
              !AuditTables.strings(db, "SELECT 1 FROM people_seen WHERE subject = 'sam'")
                  .isEmpty());
      HttpResponse<String> created =
          scim(
              "POST",
              "/scim/v2/Users",
              "{\"userName\":\"sam@example.com\",\"externalId\":\"sam\"}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String id = new JsonObject(created.body()).getString("id");
      HttpResponse<String> off =
          scim(
              "PATCH",
              "/scim/v2/Users/" + id,
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                  + "\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}");
      assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
      endsWith(sse, "deprovisioned");
    }
  }

  private HttpResponse<String> scim(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.uri(path))
            .header("Authorization", "Bearer " + SCIM_TOKEN)
            .header("Content-Type", "application/scim+json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void streamsAreCappedPerPersonAndInAll() throws Exception {
    try (SseLines one = apiStream(idp.token("sam", "security"));
        SseLines two = apiStream(idp.token("sam", "security"))) {
      one.await(l -> l.startsWith(": stint audit stream"));
      two.await(l -> l.startsWith(": stint audit stream"));
      problem(once(idp.token("sam", "security")), 429, "rate_limited");
      try (SseLines tom = apiStream(idp.token("tom", "security"))) {
        tom.await(l -> l.startsWith(": stint audit stream"));
        problem(once(idp.token("uma", "security")), 503, "unavailable");
      }
    }
    // Closed streams give their places back (the server notices the close asynchronously).
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int status = 0;
    while (status != 200 && System.nanoTime() < deadline) {
      try (SseLines again = apiStream(idp.token("sam", "security"))) {
        status = again.status();
      }
    }
    assertThat(status).isEqualTo(200);
  }

  /** A request that must be refused: a stream that is not would hang, so it is bounded. */
  private HttpResponse<String> once(String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.uri("/v1/events"))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void problem(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("code")).isEqualTo(code);
    assertThat(body.getString("detail")).contains("event stream");
  }
}
