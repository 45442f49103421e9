package dev.stint.http;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.AuditEvent;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditServer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit HTTP API on the real HTTP stack, with a test gate standing in for the policy. */
class AuditRoutesTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private DatabaseUrl url;
  private AuditServer server;

  @BeforeEach
  void start() throws Exception {
    url = TestPostgres.migratedDatabase();
    server = AuditServer.start(url, AuditServer.BEARER_GATE, Duration.ofMillis(200));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void append(String type, String subject, String profile) throws Exception {
    await(
        server
            .log()
            .append(
                AuditEvent.builder(type)
                    .actor("https://idp", subject, null)
                    .profile(profile)
                    .build()));
  }

  @Test
  void everyRouteIsClosedToNonAuditors() throws Exception {
    for (String path : List.of("/v1/audit", "/v1/audit/verify", "/v1/events")) {
      HttpResponse<String> none = get(path, null);
      assertThat(none.statusCode()).as(path).isEqualTo(401);
      assertThat(new JsonObject(none.body()).getString("code")).isEqualTo("unauthenticated");
      HttpResponse<String> other = get(path, "someone");
      assertThat(other.statusCode()).as(path).isEqualTo(403);
      assertThat(new JsonObject(other.body()).getString("code")).isEqualTo("forbidden");
    }
  }

  @Test
  void listsWithFiltersAndCursor() throws Exception {
    append("request.created", "alice", "aws-prod");
    append("request.approved", "bob", "aws-prod");
    append("credential.issued", "alice", "aws-prod");
    append("credential.issued", "carol", "gcp-dev");

    JsonObject page =
        new JsonObject(get("/v1/audit?since=1h&actor=alice&limit=1", "auditor").body());
    JsonArray events = page.getJsonArray("events");
    assertThat(events).hasSize(1);
    JsonObject first = events.getJsonObject(0);
    assertThat(first.getString("type")).isEqualTo("request.created");
    assertThat(first.getLong("seq")).isEqualTo(1);
    assertThat(first.getString("hash")).hasSize(64);
    assertThat(first.getString("prev_hash")).isEqualTo("0".repeat(64));
    String cursor = page.getString("next_cursor");
    JsonObject next =
        new JsonObject(
            get(
                    "/v1/audit?since=1h&actor=alice&limit=1&cursor="
                        + URLEncoder.encode(cursor, StandardCharsets.UTF_8),
                    "auditor")
                .body());
    assertThat(next.getJsonArray("events").getJsonObject(0).getLong("seq")).isEqualTo(3);
    // Alice has nothing after seq 3, so that page is the last and carries no cursor.
    assertThat(next.getValue("next_cursor")).isNull();
    assertThat(next.containsKey("next_cursor")).isTrue();

    assertThat(
            new JsonObject(
                    get("/v1/audit?type=credential.issued&profile=gcp-dev", "auditor").body())
                .getJsonArray("events"))
        .hasSize(1);
    String future = Instant.now().plusSeconds(3600).toString();
    assertThat(
            new JsonObject(get("/v1/audit?since=" + future, "auditor").body())
                .getJsonArray("events"))
        .isEmpty();
    assertThat(
            new JsonObject(get("/v1/audit?until=2000-01-01", "auditor").body())
                .getJsonArray("events"))
        .isEmpty();
  }

  @Test
  void badParametersAre400() throws Exception {
    for (String q :
        List.of(
            "since=yesterday",
            "limit=0",
            "limit=abc",
            "limit=5000",
            "cursor=zzz",
            "since=1h&since=2h")) {
      HttpResponse<String> r = get("/v1/audit?" + q, "auditor");
      assertThat(r.statusCode()).as(q).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("invalid_request");
    }
  }

  @Test
  void verifyReportsOkThenTheFirstBrokenSeq() throws Exception {
    for (int i = 0; i < 3; i++) {
      append("request.created", "alice", "aws-prod");
    }
    JsonObject ok = new JsonObject(get("/v1/audit/verify", "auditor").body());
    assertThat(ok.getBoolean("ok")).isTrue();
    assertThat(ok.getLong("count")).isEqualTo(3);
    assertThat(ok.getLong("head_seq")).isEqualTo(3);
    AuditTables.tamper(url, "UPDATE audit_events SET actor_subject = 'mallory' WHERE seq = 2");
    JsonObject broken = new JsonObject(get("/v1/audit/verify", "auditor").body());
    assertThat(broken.getBoolean("ok")).isFalse();
    assertThat(broken.getLong("broken_seq")).isEqualTo(2);
    assertThat(broken.getString("problem")).startsWith("hash mismatch");
  }

  @Test
  void eventsAppendedByAnotherReplicaArriveLive() throws Exception {
    try (AuditServer replica =
            AuditServer.start(url, AuditServer.BEARER_GATE, Duration.ofSeconds(30));
        Sse sse = Sse.open(http, server.uri("/v1/events"), null)) {
      sse.await(l -> l.startsWith(": stint audit stream"));
      await(replica.log().append(AuditEvent.builder("grant.revoked").grantId("gr_9").build()));
      sse.await(l -> l.equals("id: 1"));
      String data = sse.await(l -> l.startsWith("data: "));
      JsonObject event = new JsonObject(data.substring(6));
      assertThat(event.getString("type")).isEqualTo("grant.revoked");
      assertThat(event.getString("grant_id")).isEqualTo("gr_9");
      sse.await(l -> l.equals(": keepalive"));
    }
  }

  @Test
  void lastEventIdReplaysWhatWasMissedThenGoesLive() throws Exception {
    for (int i = 0; i < 3; i++) {
      append("request.created", "alice", "aws-prod");
    }
    try (Sse sse = Sse.open(http, server.uri("/v1/events"), "1")) {
      sse.await(l -> l.equals("id: 2"));
      sse.await(l -> l.equals("id: 3"));
      append("request.approved", "bob", "aws-prod");
      sse.await(l -> l.equals("id: 4"));
    }
  }

  @Test
  void openStreamsEndPromptlyWhenTheServerStops() throws Exception {
    // The HTTP server would wait far longer than this test for a connection left open: closing
    // within the test's wait shows the server ended the stream itself, however slow the host.
    AuditServer other =
        AuditServer.start(
            url, AuditServer.BEARER_GATE, Duration.ofSeconds(30), Duration.ofHours(1));
    try (Sse sse = Sse.open(http, other.uri("/v1/events"), null)) {
      sse.await(l -> l.startsWith(": stint audit stream"));
      other.close();
    }
  }

  @Test
  void badLastEventIdIs400() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(server.uri("/v1/events"))
                .header("Authorization", "Bearer auditor")
                .header("Last-Event-ID", "abc")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
  }

  /** A streaming SSE reader: lines arrive on a queue; waits are bounded. */
  private static final class Sse implements AutoCloseable {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    private Sse(CompletableFuture<HttpResponse<Stream<String>>> response) {
      this.response = response;
    }

    static Sse open(HttpClient http, URI uri, String lastEventId) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(uri)
              .header("Authorization", "Bearer auditor")
              .header("Accept", "text/event-stream");
      if (lastEventId != null) {
        b.header("Last-Event-ID", lastEventId);
      }
      var future = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines());
      Sse sse = new Sse(future);
      Thread reader =
          new Thread(
              () -> {
                try {
                  future.join().body().forEach(sse.lines::add);
                } catch (RuntimeException ignored) {
                  // the stream was closed by the test
                }
              });
      reader.setDaemon(true);
      reader.start();
      return sse;
    }

    String await(Predicate<String> match) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      List<String> seen = new ArrayList<>();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line != null && match.test(line)) {
          return line;
        }
        if (line != null) {
          seen.add(line);
        }
      }
      throw new AssertionError("no matching line; saw " + seen);
    }

    @Override
    public void close() {
      response.thenAccept(r -> r.body().close());
    }
  }
}
