package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.RequestListener.Change;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.identity.Person;
import dev.stint.outbox.DurableListener;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.Patience;
import dev.stint.testing.Requests;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The requester's direct message about their extension, against the Slack stand-in and the real
 * link table: approved (with the grant's new end) or denied, by whom, linked to the request's page;
 * supplied text stays text; nothing for an extension approved at once, a vote short of a decision,
 * or a requester without a link.
 */
class RequesterExtensionListenerTest {
  static final Instant T = Instant.parse("2026-11-25T09:00:00Z");
  static final Instant NEW_END = T.plus(Duration.ofMinutes(90));
  static final Person BOB = new Person("https://idp.test", "bob", Optional.of("bob@example.com"));
  static final Person CAROL = new Person("https://idp.test", "carol", Optional.empty());
  static final String ALICE_SLACK = "U0ALICE";

  Vertx vertx;
  Database db;
  FakeSlack slack;
  SlackWebApi api;
  SlackLinks links;
  RequesterExtensionListener listener;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    db = Database.connect(vertx, TestPostgres.migratedDatabase(), 2);
    links = new SlackLinks(db.pool());
    slack = new FakeSlack().user(ALICE_SLACK);
    api =
        new SlackWebApi(
            vertx,
            new StintConfig.SlackApp(
                FakeSlack.TOKEN, "s".repeat(32), "C0", slack.apiUrl(), Duration.ofDays(1)));
    listener =
        new RequesterExtensionListener(
            api, links, id -> URI.create("https://stint.example.com/ui/requests/" + id));
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
    slack.close();
    db.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  /** Alice's Slack link, made as the web page makes it: a code offered, then redeemed. */
  void linkAlice() throws Exception {
    Person alice = Requests.ALICE;
    links
        .offer(
            alice.issuer(),
            alice.subject(),
            FakeSlack.TEAM,
            ALICE_SLACK,
            "CODE1234",
            T.plusSeconds(600))
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThat(
            links
                .redeem(alice.issuer(), alice.subject(), "CODE1234", new JsonObject(), T, T)
                .await(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .isPresent();
  }

  static AccessRequest request(String profile) {
    return Requests.approved("req_1")
        .profile(profile)
        .grant(
            new Grant(
                "grt_1",
                "req_1",
                profile,
                Requests.ALICE,
                T,
                NEW_END,
                false,
                Optional.empty(),
                Optional.empty(),
                Narrowed.NONE))
        .build();
  }

  /** A change as the extension service records it: the comment names the extension first. */
  static Change change(String event, Person actor) {
    return new Change(event, request("prod"), actor, Optional.of("ext_1: +30m (INC-1 deploy)"), T);
  }

  List<String> dmsToAlice() {
    return slack.messages().stream()
        .filter(m -> m.channel().equals(FakeSlack.dm(ALICE_SLACK)))
        .map(FakeSlack.Message::text)
        .toList();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '#',
      value = {
        "grant.extended#Your extension (+30m) of request"
            + " <https://stint.example.com/ui/requests/req_1|req_1> for *prod* was approved by"
            + " bob@example.com; your access now ends at 2026-11-25T10:30:00Z.",
        "grant.extension_denied#Your extension (+30m) of request"
            + " <https://stint.example.com/ui/requests/req_1|req_1> for *prod* was denied by"
            + " bob@example.com."
      })
  void aDecisionIsToldToTheLinkedRequester(String event, String expected) throws Exception {
    linkAlice();
    Change c = change(event, BOB);
    assertThat(listener.wants(c)).isTrue();

    listener
        .deliver(c, new DurableListener.Delivery(1, 1))
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);

    assertThat(dmsToAlice()).containsExactly(expected);
  }

  @Test
  void suppliedTextStaysText() {
    Change c =
        new Change(
            "grant.extended",
            request("prod<!channel>"),
            new Person("https://idp.test", "eve", Optional.of("<@U0BOSS>")),
            Optional.of("ext_1: +30m (<!here>)"),
            T);

    String text = RequesterExtensionListener.text(c, URI.create("https://s.example/r"));

    assertThat(text)
        .contains("*prod&lt;!channel&gt;*", "by &lt;@U0BOSS&gt;")
        .doesNotContain("<!channel>", "<@U0BOSS>", "<!here>");
  }

  @Test
  void aRevokedGrantsEndIsNotToldAsItsNewEnd() {
    AccessRequest r = request("prod");
    Grant g = r.grant().orElseThrow();
    Grant revoked =
        new Grant(
            g.id(),
            g.requestId(),
            g.profile(),
            g.holder(),
            g.startsAt(),
            g.endsAt(),
            false,
            Optional.of(new Grant.Revocation(CAROL, T.plusSeconds(60))),
            Optional.empty(),
            Narrowed.NONE);
    Change c =
        new Change(
            "grant.extended",
            Requests.approved("req_1").grant(revoked).build(),
            BOB,
            Optional.of("ext_1: +30m"),
            T);

    assertThat(RequesterExtensionListener.text(c, URI.create("https://s.example/r")))
        .endsWith("was approved by bob@example.com.");
  }

  @Test
  void anAskApprovedAtOnceAVoteAndAnotherChangeAreNotTold() {
    assertThat(listener.wants(change("grant.extended", Requests.ALICE))).as("at once").isFalse();
    assertThat(listener.wants(change("approval.recorded", BOB))).as("a vote").isFalse();
    assertThat(listener.wants(change("grant.extension_cancelled", Requests.ALICE))).isFalse();
    assertThat(listener.wants(change("grant.extension_expired", BOB))).isFalse();
    Change noExtension =
        new Change("grant.extended", request("prod"), BOB, Optional.of("moved"), T);
    assertThat(listener.wants(noExtension)).as("no extension named").isFalse();
  }

  @Test
  void aRequesterWithoutALinkGetsNothing() throws Exception {
    Change c = change("grant.extended", BOB);

    listener
        .deliver(c, new DurableListener.Delivery(1, 1))
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);

    assertThat(slack.messages()).isEmpty();
    assertThat(slack.calls("conversations.open")).isEmpty();
  }
}
