package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through the real server, the real Slack client and the outbox: a new request posts one message
 * with buttons, and every decision made through the API (as the CLI makes them) updates that same
 * message in place, down to a final state without buttons.
 */
class SlackMessagesEndToEndIT {
  static final String CHANNEL = "C0APPROVALS";
  static final Duration WAIT = Duration.ofSeconds(20);
  static FakeSlack slack;
  static TestIdp idp;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    slack = new FakeSlack(CHANNEL);
    idp = new TestIdp("corp");
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
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
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
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
                            + "\"duration_seconds\":3600,\"reason\":"
                            + new ObjectMapper().writeValueAsString(reason)
                            + ",\"ticket\":\"OPS-1\"}"))
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

  static FakeSlack.Message messageOf(String id) throws Exception {
    return Eventually.get(
        "the message of " + id,
        WAIT,
        () ->
            slack.messages().stream()
                .filter(m -> FakeSlack.text(m.blocks()).contains(id))
                .findFirst());
  }

  static FakeSlack.Message once(String id, String containing) throws Exception {
    return Eventually.get(
        id + " showing " + containing,
        WAIT,
        () -> {
          FakeSlack.Message m = messageOf(id);
          return FakeSlack.text(m.blocks()).contains(containing)
              ? Optional.of(m)
              : Optional.empty();
        });
  }

  @Test
  void aRequestIsPostedWithButtonsAndEveryDecisionUpdatesItInPlace() throws Exception {
    String id = create("alice", "INC-101 disk full");
    FakeSlack.Message posted = messageOf(id);
    assertThat(posted.channel()).isEqualTo(CHANNEL);
    String text = FakeSlack.text(posted.blocks());
    assertThat(text)
        .contains("prod", "alice@example.com", "1h", "INC-101 disk full", "OPS-1", "0 of 2");
    assertThat(FakeSlack.actionIds(posted.blocks()))
        .containsExactly(SlackMessage.APPROVE, SlackMessage.DENY);
    assertThat(posted.blocks().findValues("value")).extracting(v -> v.asText()).containsOnly(id);

    decide(id, "approve", "bob", "sre");
    FakeSlack.Message voted = once(id, "1 of 2");
    assertThat(voted.ts()).isEqualTo(posted.ts());
    assertThat(FakeSlack.text(voted.blocks())).contains("approved by bob@example.com");
    assertThat(FakeSlack.actionIds(voted.blocks())).hasSize(2);

    decide(id, "approve", "carol", "sre");
    FakeSlack.Message approved = once(id, "*Approved*");
    assertThat(approved.ts()).isEqualTo(posted.ts());
    assertThat(FakeSlack.text(approved.blocks())).contains("2 of 2", "carol@example.com");
    assertThat(FakeSlack.actionIds(approved.blocks())).isEmpty();

    decide(id, "revoke", "bob", "sre");
    FakeSlack.Message revoked = once(id, "*Revoked*");
    assertThat(FakeSlack.text(revoked.blocks())).contains("by bob@example.com");
    assertThat(slack.messages().stream().filter(m -> FakeSlack.text(m.blocks()).contains(id)))
        .hasSize(1);
  }

  @Test
  void denialAndCancellationEndTheButtons() throws Exception {
    String denied = create("dave", "INC-102 deny me");
    messageOf(denied);
    decide(denied, "deny", "bob", "sre");
    assertThat(FakeSlack.actionIds(once(denied, "*Denied* by bob@example.com").blocks())).isEmpty();

    String cancelled = create("erin", "INC-103 never mind");
    messageOf(cancelled);
    decide(cancelled, "cancel", "erin", "eng");
    assertThat(FakeSlack.actionIds(once(cancelled, "*Cancelled*").blocks())).isEmpty();
  }

  @Test
  void suppliedTextCannotMentionOrLink() throws Exception {
    String id = create("frank", "INC-104 <!channel> <https://evil.example|Approve> & co");
    String text = FakeSlack.text(messageOf(id).blocks());
    assertThat(text)
        .contains("INC-104 &lt;!channel&gt; &lt;https://evil.example|Approve&gt;" + " &amp; co");
    assertThat(text).doesNotContain("<!channel>").doesNotContain("<https://evil");
  }
}
