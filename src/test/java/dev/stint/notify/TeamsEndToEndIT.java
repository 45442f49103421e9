package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeTeams;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through the real server and the outbox to a Teams workflow stand-in that refuses what Teams
 * refuses: a waiting request and its decision each post a card with the facts and a button to the
 * web page; a failed post is retried with the same delivery id; supplied text stays inert.
 */
class TeamsEndToEndIT {
  static final Duration WAIT = Duration.ofSeconds(30);
  static FakeTeams teams;
  static TestIdp idp;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    teams = new FakeTeams();
    idp = new TestIdp("corp");
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of(
                "STINT_TEAMS_WEBHOOK_URL",
                teams.url().toString(),
                "STINT_PUBLIC_URL",
                "https://stint.example.com"),
            TestPolicies.requests(idp));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    teams.close();
  }

  static String create(String user, String reason, String ticket) throws Exception {
    ObjectMapper json = new ObjectMapper();
    HttpResponse<String> created =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests"))
                .header("Authorization", "Bearer " + idp.token(user, "eng"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"profile\":\"prod\","
                            + "\"duration_seconds\":3600,\"reason\":"
                            + json.writeValueAsString(reason)
                            + ",\"ticket\":"
                            + json.writeValueAsString(ticket)
                            + "}"))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json.readTree(created.body()).get("id").asText();
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

  static List<FakeTeams.Post> postsOf(String id, int count) throws Exception {
    return Eventually.get(
        count + " cards of " + id,
        WAIT,
        () -> {
          List<FakeTeams.Post> of =
              teams.posts().stream().filter(p -> p.text().contains(id)).toList();
          return of.size() >= count ? Optional.of(of) : Optional.empty();
        });
  }

  @Test
  void aWaitingRequestAndItsDecisionEachPostACardWithAButtonToThePage() throws Exception {
    String id = create("alice", "INC-201 disk full", "OPS-7");
    FakeTeams.Post waiting = postsOf(id, 1).get(0);
    assertThat(waiting.text())
        .contains(
            "Profile: prod",
            "Requester: alice@example.com",
            "Duration: 1h",
            "Reason: INC-201 disk full",
            "Ticket: OPS-7",
            "Approvals: 0 of 2",
            "State: waiting for 2 more approvals");
    assertThat(waiting.card().at("/actions/0/url").asText())
        .isEqualTo("https://stint.example.com/ui/requests/" + id);
    assertThat(waiting.headers().get("x-stint-delivery")).matches("\\d+");

    decide(id, "approve", "bob", "sre");
    decide(id, "approve", "carol", "sre");
    List<FakeTeams.Post> posts = postsOf(id, 2);
    assertThat(posts.get(1).text()).contains("Approvals: 2 of 2", "State: Approved");
    // A vote short of the decision posts nothing of its own.
    assertThat(teams.posts().stream().filter(p -> p.text().contains(id))).hasSize(2);
  }

  @Test
  void aDenialPostsWhoDenied() throws Exception {
    String id = create("dave", "INC-202", "OPS-8");
    postsOf(id, 1);
    decide(id, "deny", "bob", "sre");
    assertThat(postsOf(id, 2).get(1).text()).contains("State: Denied by bob@example.com");
  }

  @Test
  void aFailedPostIsRetriedByTheOutboxWithTheSameDeliveryId() throws Exception {
    teams.failFirst("INC-203 retry me", 500);
    String id = create("erin", "INC-203 retry me", "OPS-9");
    FakeTeams.Post delivered = postsOf(id, 1).get(0);
    List<FakeTeams.Post> failed =
        teams.failed().stream().filter(p -> p.text().contains(id)).toList();
    assertThat(failed).as("the first attempt, answered 500").hasSize(1);
    assertThat(delivered.text()).isEqualTo(failed.get(0).text());
    assertThat(delivered.headers().get("x-stint-delivery"))
        .matches("\\d+")
        .isEqualTo(failed.get(0).headers().get("x-stint-delivery"));
  }

  @Test
  void aReasonAndTicketCannotBecomeLinksOrMarkupInTheCard() throws Exception {
    String id =
        create(
            "frank",
            "INC-204 [Approve](https://evil.example) **urgent**",
            "[OPS](https://evil.example)_x_");
    String text = postsOf(id, 1).get(0).text();
    assertThat(text)
        .contains(
            "Reason: INC-204 ［Approve］(https://evil.example) ∗∗urgent∗∗",
            "Ticket: ［OPS］(https://evil.example)＿x＿");
    assertThat(text).doesNotContain("[Approve]").doesNotContain("**");
  }
}
