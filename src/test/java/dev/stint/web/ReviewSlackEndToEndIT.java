package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.ApiCalls;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Access reviews in Slack (issue 56), on a real server with a stand-in Slack: a review's opening is
 * posted once to the channel and sent to each linked reviewer, with a link to its page, and to
 * nobody else; once it is nearly due ({@code due_in} 4d: two days before) with items undecided, one
 * reminder goes the same way, however many sweeps run, and none before its moment; a review whose
 * items were all decided is neither announced nor reminded of.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReviewSlackEndToEndIT {
  static final String CHANNEL = "C0REVIEWS";
  static final String SECRET = "0123456789abcdef0123456789abcdef";
  static final String RITA = "U0RITA";
  static final String CARL = "U0CARL";
  static final String EVE = "U0EVE";
  static final Duration DUE_IN = Duration.ofDays(4);

  static FakeSlack slack;
  static TestIdp idp;
  static TestServer server;
  static ApiCalls api;
  static MutableClock clock = new MutableClock(Instant.now());
  static Instant opened;
  static String prod;
  static String db;

  static String profile(String name) {
    return "  "
        + name
        + ":\n"
        + "    aws: {role_arn: 'arn:aws:iam::111122223333:role/"
        + name
        + "', mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'principal.groups.exists(g, g == \"eng\")'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
        + "    access_review: {every: 90d, reviewers: 'principal.groups.exists(g, g =="
        + " \"security\")', due_in: 4d, when_overdue: keep}\n";
  }

  static String policy(TestIdp idp) {
    return "admins: 'principal.groups.exists(g, g == \"platform\")'\n"
        + "issuers:\n"
        + idp.issuerYaml("corp")
        + "web: {issuer: corp, client_id: "
        + WebTestSetup.CLIENT
        + "}\n"
        + "profiles:\n"
        + profile("prod")
        + profile("db")
        + profile("ops");
  }

  @BeforeAll
  static void start() throws Exception {
    slack = new FakeSlack(CHANNEL).user(RITA).user(CARL).user(EVE);
    idp = new TestIdp("corp");
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of(
                "STINT_SLACK_BOT_TOKEN",
                FakeSlack.TOKEN,
                "STINT_SLACK_SIGNING_SECRET",
                SECRET,
                "STINT_SLACK_CHANNEL",
                CHANNEL,
                "STINT_SLACK_API_URL",
                slack.apiUrl().toString(),
                "STINT_SLACK_TEAM_ID",
                FakeSlack.TEAM),
            policy(idp),
            clock);
    api = new ApiCalls(server);
    // Linked and seen: rita reviews; carl and eve are under review, and review nothing.
    SlackClicks.link(server, idp, slack, "rita", RITA, "security");
    SlackClicks.link(server, idp, slack, "carl", CARL, "eng");
    SlackClicks.link(server, idp, slack, "eve", EVE, "eng");
    opened = clock.instant();
    prod = open("prod");
    db = open("db");
    // Every item of db decided: the review closes, with nothing left to tell anyone.
    ApiCalls.Answer decided =
        api.post(
            idp.token("rita", "security"),
            "/v1/access-reviews/" + db + "/decisions",
            new JsonObject()
                .put("items", new JsonArray().add(keep("carl")).add(keep("eve")))
                .encode());
    assertThat(decided.status()).as(decided.body().toString()).isEqualTo(200);
    assertThat(decided.body().path("state").asText()).isEqualTo("closed");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    slack.close();
  }

  @Test
  @Order(1)
  void anOpeningIsPostedOnceToTheChannelAndToTheLinkedReviewerWithTheLink() throws Exception {
    sweep();
    sweep();

    List<FakeSlack.Message> inChannel = about(prod, CHANNEL);
    assertThat(inChannel).as("one message in the channel, however many sweeps").hasSize(1);
    String text = inChannel.get(0).text();
    assertThat(text)
        .contains("prod")
        .contains("2 people to review")
        .contains("/ui/access-reviews/" + prod)
        .as("counts only, never the names of those under review")
        .doesNotContain("carl")
        .doesNotContain("eve");
    assertThat(about(prod, FakeSlack.dm(RITA))).as("the linked reviewer, directly").hasSize(1);
    assertThat(about(prod, FakeSlack.dm(CARL))).as("not a reviewer").isEmpty();
    assertThat(about(prod, FakeSlack.dm(EVE))).as("not a reviewer").isEmpty();
    assertThat(aboutAnywhere(db)).as("all of db was decided before any sweep").isEmpty();
  }

  @Test
  @Order(2)
  void theReminderComesOnceAtItsMomentWhileItemsAreUndecided() throws Exception {
    Instant moment = opened.plus(DUE_IN).minus(Duration.ofDays(2));
    clock.set(moment.minus(Duration.ofMinutes(1)));
    sweep();
    assertThat(reminders(CHANNEL)).as("not before its moment").isEmpty();

    clock.set(moment.plus(Duration.ofMinutes(1)));
    sweep();
    sweep();

    assertThat(reminders(CHANNEL)).as("once, across sweeps").hasSize(1);
    assertThat(reminders(CHANNEL).get(0).text())
        .contains("2 of 2 people still undecided")
        .contains("/ui/access-reviews/" + prod);
    assertThat(reminders(FakeSlack.dm(RITA))).hasSize(1);
    assertThat(reminders(FakeSlack.dm(CARL))).isEmpty();
    assertThat(aboutAnywhere(db)).as("nothing undecided: no reminder").isEmpty();
  }

  @Test
  @Order(3)
  void aRefusedPostNeitherFailsTheSweepNorStopsTheOthersAndIsNotRepeated() throws Exception {
    // Back to the tokens' time: the review is opened over the API.
    clock.set(Instant.now());
    String ops = open("ops");
    slack.failNext("channel_not_found");

    sweep();
    sweep();

    assertThat(about(ops, CHANNEL)).as("Slack refused the channel's post").isEmpty();
    assertThat(about(ops, FakeSlack.dm(RITA)))
        .as("the reviewer is told all the same, once")
        .hasSize(1);
  }

  static void sweep() throws Exception {
    AuditTables.await(server.server().rounds().reviews());
  }

  static String open(String profile) {
    ApiCalls.Answer a =
        api.post(
            idp.token("adam", "platform"),
            "/v1/access-reviews",
            new JsonObject().put("profile", profile).encode());
    assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
    return a.body().path("id").asText();
  }

  static JsonObject keep(String subject) {
    return new JsonObject()
        .put("issuer", idp.issuer())
        .put("subject", subject)
        .put("decision", "keep");
  }

  static List<FakeSlack.Message> about(String id, String channel) {
    return slack.messages().stream()
        .filter(m -> m.channel().equals(channel) && m.text().contains(id))
        .toList();
  }

  static List<FakeSlack.Message> aboutAnywhere(String id) {
    return slack.messages().stream().filter(m -> m.text().contains(id)).toList();
  }

  static List<FakeSlack.Message> reminders(String channel) {
    return about(prod, channel).stream().filter(m -> m.text().contains("undecided")).toList();
  }
}
