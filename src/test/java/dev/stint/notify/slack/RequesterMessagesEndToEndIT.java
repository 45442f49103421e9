package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.access.Act;
import dev.stint.access.RequestListener.Change;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.identity.Person;
import dev.stint.outbox.DurableListener;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.Patience;
import dev.stint.testing.Requests;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through the real server, the real Slack client and the outbox: a requester who linked their Slack
 * account gets a direct message (conversations.open, then chat.postMessage) when their request is
 * approved, denied, cancelled by someone else, timed out, about to end or revoked; a requester
 * without a link gets nothing in Slack.
 */
class RequesterMessagesEndToEndIT {
  static final String CHANNEL = "C0APPROVALS";
  static final Duration WAIT = Duration.ofSeconds(20);
  static FakeSlack slack;
  static TestIdp idp;
  static TestServer server;
  static Vertx vertx;
  static Database db;
  static SlackLinks links;

  @BeforeAll
  static void start() throws Exception {
    slack = new FakeSlack(CHANNEL).user("UALICE").user("UDAVE");
    idp = new TestIdp("corp");
    DatabaseUrl database = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            database,
            Map.of(
                "STINT_SLACK_BOT_TOKEN",
                FakeSlack.TOKEN,
                "STINT_SLACK_SIGNING_SECRET",
                "0123456789abcdef0123456789abcdef",
                "STINT_SLACK_CHANNEL",
                CHANNEL,
                "STINT_SLACK_API_URL",
                slack.apiUrl().toString(),
                "STINT_PUBLIC_URL",
                "https://stint.example.com"),
            TestPolicies.requests(idp));
    vertx = Vertx.vertx();
    db = Database.connect(vertx, database, 2);
    links = new SlackLinks(db.pool());
    link("alice", "UALICE");
  }

  /** The link the web page makes, made the same way: a code offered, then redeemed. */
  static void link(String subject, String slackUser) throws Exception {
    Instant now = Instant.now();
    links
        .offer(idp.issuer(), subject, FakeSlack.TEAM, slackUser, "CODE1234", now.plusSeconds(600))
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThat(
            links
                .redeem(idp.issuer(), subject, "CODE1234", new JsonObject(), now, now)
                .await(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .isPresent();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    db.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    idp.close();
    slack.close();
  }

  static String create(String user, String reason) throws Exception {
    HttpResponse<String> created =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests"))
                .header("Authorization", "Bearer " + idp.token(user, "eng"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"profile\":\"prod\","
                            + "\"duration_seconds\":3600,\"reason\":\""
                            + reason
                            + "\"}"))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return new ObjectMapper().readTree(created.body()).get("id").asText();
  }

  static void decide(String id, String action, String user, String group) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests/" + id + "/" + action))
                .header("Authorization", "Bearer " + idp.token(user, group))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  static List<String> dmsTo(String user) {
    return slack.messages().stream()
        .filter(m -> m.channel().equals(FakeSlack.dm(user)))
        .map(FakeSlack.Message::text)
        .toList();
  }

  static String dm(String user, String containing) throws Exception {
    return Eventually.get(
        "a DM to " + user + " with " + containing,
        WAIT,
        () -> dmsTo(user).stream().filter(t -> t.contains(containing)).findFirst());
  }

  @Test
  void aLinkedRequesterIsToldOfTheApprovalAndTheRevocation() throws Exception {
    String id = create("alice", "INC-301 approve me");
    decide(id, "approve", "bob", "sre");
    decide(id, "approve", "carol", "sre");
    String approved = dm("UALICE", id + "> for *prod* was approved");
    assertThat(approved)
        .contains(
            "<https://stint.example.com/ui/requests/" + id + "|" + id + ">",
            "*prod*",
            "was approved by carol@example.com",
            "until");
    assertThat(slack.calls("conversations.open"))
        .extracting(c -> c.fields().get("users"))
        .contains("UALICE");

    decide(id, "revoke", "bob", "sre");
    assertThat(dm("UALICE", "was revoked")).contains(id, "by bob@example.com");
  }

  @Test
  void aLinkedRequesterIsToldOfADenial() throws Exception {
    String id = create("alice", "INC-302 deny me");
    decide(id, "deny", "bob", "sre");
    assertThat(dm("UALICE", id + "> for *prod* was denied")).contains("by bob@example.com");
  }

  @Test
  void aRequesterWithoutALinkGetsNothingInSlack() throws Exception {
    String id = create("dave", "INC-303 no link");
    decide(id, "deny", "bob", "sre");
    // The channel message shows the denial once the outbox delivered it; the DM would be as fast.
    Eventually.get(
        "the channel message showing the denial",
        WAIT,
        () ->
            slack.messages().stream()
                .filter(m -> m.channel().equals(CHANNEL))
                .filter(m -> FakeSlack.text(m.blocks()).contains(id))
                .filter(m -> FakeSlack.text(m.blocks()).contains("*Denied*"))
                .findFirst());
    String marker = create("alice", "INC-304 marker");
    decide(marker, "deny", "bob", "sre");
    dm("UALICE", marker);
    assertThat(dmsTo("UDAVE")).isEmpty();
    assertThat(
            slack.messages().stream()
                .filter(m -> m.text().contains(id) || FakeSlack.text(m.blocks()).contains(id))
                .map(FakeSlack.Message::channel))
        .containsOnly(CHANNEL);
  }

  /**
   * The sweeper's events, delivered as the outbox delivers them (the listener the server registers,
   * with the real client): a timeout, a grant about to end, and a cancellation by someone else (no
   * channel allows one yet; the listener is ready for it). The requester's own cancellation is not
   * told.
   */
  @Test
  void timeoutsRemindersAndOthersCancellationsAreTold() throws Exception {
    SlackWebApi api =
        new SlackWebApi(
            vertx,
            new StintConfig.SlackApp(
                FakeSlack.TOKEN,
                "0123456789abcdef0123456789abcdef",
                CHANNEL,
                slack.apiUrl(),
                Duration.ofHours(24)));
    RequesterListener listener =
        new RequesterListener(
            api, links, id -> URI.create("https://stint.example.com/ui/requests/" + id));
    try {
      var alice = new Person(idp.issuer(), "alice", Optional.of("alice@example.com"));
      var request =
          RequesterNoteTest.change("request.timed_out", Act.SYSTEM, Optional.empty()).request();
      var hers =
          Requests.inState("req_sweep", request.state())
              .profile("prod")
              .requester(alice)
              .reason(request.reason())
              .ticket(request.ticket())
              .duration(request.duration())
              .startsAt(request.startsAt())
              .at(request.createdAt())
              .version(1)
              .grant(request.grant())
              .build();
      for (String event : List.of("request.timed_out", "grant.expiring")) {
        Change c = new Change(event, hers, Act.SYSTEM, Optional.empty(), Instant.now());
        assertThat(listener.wants(c)).isTrue();
        listener
            .deliver(c, new DurableListener.Delivery(1, 1))
            .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
      }
      var admin = new Person(idp.issuer(), "root", Optional.empty());
      Change byAdmin =
          new Change("request.cancelled", hers, admin, Optional.of("dup"), Instant.now());
      listener
          .deliver(byAdmin, new DurableListener.Delivery(2, 1))
          .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
      assertThat(
              listener.wants(
                  new Change("request.cancelled", hers, alice, Optional.empty(), Instant.now())))
          .isFalse();
      assertThat(dm("UALICE", "req_sweep> for *prod* timed out")).endsWith("in time.");
      assertThat(
              dm(
                  "UALICE",
                  "(<https://stint.example.com/ui/requests/req_sweep|req_sweep>)" + " ends at"))
          .startsWith("Your access to *prod*");
      assertThat(dm("UALICE", "req_sweep> for *prod* was cancelled by root")).endsWith("\"dup\"");
    } finally {
      api.close();
    }
  }
}
