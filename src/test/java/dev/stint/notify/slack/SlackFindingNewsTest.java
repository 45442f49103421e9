package dev.stint.notify.slack;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.finding.Finding;
import dev.stint.finding.FindingService;
import dev.stint.identity.Person;
import dev.stint.notify.FindingNotice;
import dev.stint.notify.PageLinks;
import dev.stint.outbox.DurableListener;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.Requests;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A live finding told in Slack by the real Slack client against the Slack stand-in, its copies
 * recorded in the real table: to the channel and to its holder's linked Slack user, with the rule's
 * sentence, severity, what was done, the lease's page and a Revoke button naming the finding; a
 * delivery told again posts nothing twice, and one that died after some posts posts only the rest.
 * Values people supplied never become markup.
 */
class SlackFindingNewsTest {
  static final String CHANNEL = "C0APPROVALS";
  static final String ISSUER = "https://idp.test";
  static final Person ALICE = new Person(ISSUER, "alice", Optional.of("alice@example.com"));
  static final PageLinks PAGES = new PageLinks(URI.create("https://stint.example.com"));

  Vertx vertx;
  FakeSlack slack;
  SlackWebApi api;
  DatabaseUrl url;
  Database db;
  SlackFindingNews news;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    slack = new FakeSlack(CHANNEL).user("U0ALICE");
    api =
        new SlackWebApi(
            vertx,
            new StintConfig.SlackApp(
                FakeSlack.TOKEN, "s".repeat(32), CHANNEL, slack.apiUrl(), Duration.ofDays(1)));
    url = TestPostgres.migratedDatabase();
    db = Database.connect(vertx, url, 2);
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "INSERT INTO slack_links (team_id, user_id, issuer, subject, principal, verified_at,"
            + " linked_at) VALUES ('"
            + FakeSlack.TEAM
            + "', 'U0ALICE', '"
            + ISSUER
            + "', 'alice', '{}', now(), now())");
    news =
        new SlackFindingNews(
            api,
            SlackPostRecords.findings(db.pool()),
            Optional.of(CHANNEL),
            new SlackLinks(db.pool()),
            Optional.empty(),
            new SlackFindingNews.Sources(
                id ->
                    Future.succeededFuture(
                        Optional.of(
                            Requests.approved(id)
                                .profile("prod")
                                .requester(ALICE)
                                .reason("INC-7 <!channel> <https://evil.example|Approve>")
                                .build())),
                PAGES,
                null),
            Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
    slack.close();
    await(vertx.close());
  }

  /** A finding as {@code Judging} records it: a lease's escape, told with {@code action}. */
  private Finding finding(String id, String action) throws Exception {
    AuditTables.execute(
        TestPostgres.asSuperuser(url),
        "INSERT INTO findings (id, rule, severity, mode, request_id, grant_id, lease_id,"
            + " credential_id, person_issuer, person_subject, profile, events, why, raised_at,"
            + " action) VALUES ('"
            + id
            + "', 'escape', 'high', 'live', 'req_1', 'grt_1', 'lse_1', 'crd_1', '"
            + ISSUER
            + "', 'alice', 'prod', '[{\"event_id\": \"ev-1\", \"event_name\": \"CreateAccessKey\","
            + " \"event_source\": \"iam.amazonaws.com\", \"time\": \"2026-03-02T10:00:00Z\"}]',"
            + " 'escape: iam:CreateAccessKey makes a credential <b>', now(), '"
            + action
            + "')");
    return await(FindingService.lookup(db.pool()).one(id)).orElseThrow();
  }

  private static DurableListener.Delivery delivery() {
    return new DurableListener.Delivery(7, 1);
  }

  private List<FakeSlack.Message> about(String id) {
    return slack.messages().stream()
        .filter(m -> FakeSlack.text(m.blocks()).contains(id) || m.blocks().toString().contains(id))
        .toList();
  }

  @Test
  void aLiveFindingIsPostedToTheChannelAndItsHoldersDirectMessageWithARevokeButton()
      throws Exception {
    Finding f = finding("fnd_aaaaaaaaaaaaaaaaaaaaaaaaa1", "notified");

    await(news.tell(f, delivery()));

    assertThat(about(f.id()))
        .extracting(FakeSlack.Message::channel)
        .containsExactlyInAnyOrder(CHANNEL, FakeSlack.dm("U0ALICE"));
    FakeSlack.Message m = about(f.id()).get(0);
    String text = FakeSlack.text(m.blocks());
    assertThat(text)
        .contains("High finding", "escape", "alice@example.com", "prod")
        .contains("iam:CreateAccessKey makes a credential &lt;b&gt;")
        .contains("<https://stint.example.com/ui/leases/lse_1|lease lse_1>")
        .contains("told the holder and the profile's approvers; nothing was ended")
        .contains("INC-7 &lt;!channel&gt; &lt;https://evil.example|Approve&gt;")
        .doesNotContain("<!channel>");
    JsonNode button = buttons(m).get(0);
    assertThat(button.path("action_id").asText()).isEqualTo(SlackFindingMessage.REVOKE);
    assertThat(button.path("value").asText()).isEqualTo(f.id());
    assertThat(button.path("text").path("text").asText()).isEqualTo("Revoke lease");
  }

  @Test
  void aDeliveryToldAgainPostsNothingTwiceAndOneCutShortPostsOnlyWhatItMissed() throws Exception {
    Finding f = finding("fnd_aaaaaaaaaaaaaaaaaaaaaaaaa2", "lease_ended");
    await(news.tell(f, delivery()));
    await(news.tell(f, delivery()));
    assertThat(about(f.id())).hasSize(2);

    Finding g = finding("fnd_aaaaaaaaaaaaaaaaaaaaaaaaa3", "notified");
    // A delivery that posted to the channel and stopped before the holder's message.
    await(
        SlackPostRecords.findings(db.pool())
            .posted(g.id(), new SlackPosts.Posted(CHANNEL, "1.0"), Instant.now()));
    await(news.tell(g, delivery()));

    assertThat(about(g.id()))
        .extracting(FakeSlack.Message::channel)
        .containsExactly(FakeSlack.dm("U0ALICE"));
  }

  @Test
  void whatTheButtonRevokesFollowsWhatTheFindingRecorded() throws Exception {
    Finding ended = finding("fnd_aaaaaaaaaaaaaaaaaaaaaaaaa4", "lease_ended");
    Finding revoked = finding("fnd_aaaaaaaaaaaaaaaaaaaaaaaaa5", "grant_revoked");
    URI page = PAGES.leaseLink("lse_1");

    assertThat(SlackFindingMessage.Target.of(ended)).isEqualTo(SlackFindingMessage.Target.GRANT);
    assertThat(
            buttons(SlackFindingMessage.render(new FindingNotice(ended, Optional.empty(), page)))
                .get(0)
                .path("text")
                .path("text")
                .asText())
        .isEqualTo("Revoke the grant too");
    assertThat(SlackFindingMessage.Target.of(revoked)).isEqualTo(SlackFindingMessage.Target.NONE);
    assertThat(
            buttons(SlackFindingMessage.render(new FindingNotice(revoked, Optional.empty(), page))))
        .isEmpty();
    assertThat(
            SlackFindingMessage.render(
                    new FindingNotice(revoked, Optional.empty(), page),
                    Optional.of(
                        new SlackFindingMessage.Revoked(
                            ALICE, Instant.EPOCH, SlackFindingMessage.Target.GRANT)))
                .blocksJson())
        .contains("Access revoked by alice@example.com")
        .doesNotContain(SlackFindingMessage.REVOKE);
  }

  private static List<JsonNode> buttons(FakeSlack.Message m) {
    return buttons(m.blocks());
  }

  private static List<JsonNode> buttons(SlackMessage.Rendered r) throws Exception {
    return buttons(new ObjectMapper().readTree(r.blocksJson()));
  }

  private static List<JsonNode> buttons(JsonNode blocks) {
    List<JsonNode> out = new ArrayList<>();
    blocks.forEach(
        b -> {
          if ("actions".equals(b.path("type").asText())) {
            b.path("elements")
                .forEach(
                    e -> {
                      if (!e.has("url")) {
                        out.add(e);
                      }
                    });
          }
        });
    return out;
  }
}
