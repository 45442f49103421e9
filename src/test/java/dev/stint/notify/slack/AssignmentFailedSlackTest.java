package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.Act;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.RequestListener.Change;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.outbox.DurableListener;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.Patience;
import dev.stint.testing.Requests;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A grant whose IAM Identity Center assignment failed ({@code assignment.failed}, the reason as its
 * comment), told in Slack against the stand-in: the linked requester by direct message, saying why
 * and what to do; the approvers in the request's own threads, the channel's and those sent to them
 * directly; a request never posted, by a message of its own in the channel. Supplied text stays
 * text.
 */
class AssignmentFailedSlackTest {
  static final String CHANNEL = "C0APPROVALS";
  static final String ALICE_SLACK = "U0ALICE";
  static final String BOB_SLACK = "U0BOB";
  static final Instant T = Instant.parse("2026-11-25T09:00:00Z");
  static final String WHY = "no IAM Identity Center user named alice@example.com in d-0123456789";
  static final URI PAGE = URI.create("https://stint.example.com/ui/requests/req_1");

  Vertx vertx;
  Database db;
  FakeSlack slack;
  SlackWebApi api;
  SlackLinks links;
  final SlackExtensionListenerTest.InMemoryPosts posts =
      new SlackExtensionListenerTest.InMemoryPosts();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    db = Database.connect(vertx, TestPostgres.migratedDatabase(), 2);
    links = new SlackLinks(db.pool());
    slack = new FakeSlack(CHANNEL).user(ALICE_SLACK).user(BOB_SLACK);
    api =
        new SlackWebApi(
            vertx,
            new StintConfig.SlackApp(
                FakeSlack.TOKEN, "s".repeat(32), CHANNEL, slack.apiUrl(), Duration.ofDays(1)));
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
    slack.close();
    db.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  static Change failed(String profile, String why) {
    AccessRequest r =
        Requests.approved("req_1")
            .profile(profile)
            .grant(
                new Grant(
                    "grt_1",
                    "req_1",
                    profile,
                    Requests.ALICE,
                    T,
                    T.plusSeconds(3600),
                    false,
                    Optional.empty(),
                    Optional.empty(),
                    Narrowed.NONE))
            .build();
    return new Change("assignment.failed", r, Act.SYSTEM, Optional.of(why), T);
  }

  SlackListener approvers() {
    return new SlackListener(
        api,
        posts,
        Optional.of(CHANNEL),
        id -> PAGE,
        p -> false,
        new SlackListener.Deciders(
            r -> Optional.empty(), r -> Future.succeededFuture(List.of(BOB_SLACK))),
        Clock.systemUTC());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  void deliver(DurableListener<Change> listener, Change change) throws Exception {
    assertThat(listener.wants(change)).isTrue();
    await(listener.deliver(change, new DurableListener.Delivery(1, 1)));
  }

  void linkAlice() throws Exception {
    var alice = Requests.ALICE;
    await(
        links.offer(
            alice.issuer(),
            alice.subject(),
            FakeSlack.TEAM,
            ALICE_SLACK,
            "CODE1234",
            T.plusSeconds(600)));
    assertThat(
            await(
                links.redeem(alice.issuer(), alice.subject(), "CODE1234", new JsonObject(), T, T)))
        .isPresent();
  }

  @Test
  void theLinkedRequesterIsToldWhyAndWhatToDo() throws Exception {
    linkAlice();

    deliver(new RequesterListener(api, links, id -> PAGE), failed("prod-sso", WHY));

    assertThat(
            slack.messages().stream()
                .filter(m -> m.channel().equals(FakeSlack.dm(ALICE_SLACK)))
                .map(FakeSlack.Message::text))
        .containsExactly(
            ":warning: Your access to *prod-sso* (<"
                + PAGE
                + "|req_1>) could not be set up in"
                + " AWS IAM Identity Center: "
                + WHY
                + ". Nothing was assigned, so this grant cannot be used. Ask your IAM Identity"
                + " Center directory admins to add or fix your user, then file a new request.");
  }

  @Test
  void theApproversAreToldInEveryCopyOfTheRequestsMessage() throws Exception {
    String inChannel = await(api.post(CHANNEL, "the request", "[]"));
    await(posts.posted("req_1", new SlackPosts.Posted(CHANNEL, inChannel), T));
    String bobs = await(api.open(BOB_SLACK));
    String direct = await(api.post(bobs, "the request", "[]"));
    await(posts.posted("req_1", new SlackPosts.Posted(bobs, direct), T));

    deliver(approvers(), failed("prod-sso", WHY));

    List<FakeSlack.Call> replies =
        slack.calls("chat.postMessage").stream()
            .filter(c -> c.fields().containsKey("thread_ts"))
            .toList();
    assertThat(replies)
        .extracting(c -> c.fields().get("channel") + " " + c.fields().get("thread_ts"))
        .containsExactly(CHANNEL + " " + inChannel, bobs + " " + direct);
    assertThat(replies)
        .allSatisfy(
            c ->
                assertThat(c.fields().get("text"))
                    .contains("alice@example.com's access to *prod-sso*", WHY)
                    .contains("the IAM Identity Center directory admins must add or fix the user"));
    assertThat(slack.calls("chat.postMessage").stream().filter(c -> !replies.contains(c)))
        .as("no message of its own: only the request's two copies were posted")
        .hasSize(2);
  }

  @Test
  void aRequestNeverPostedIsToldInTheChannel() throws Exception {
    deliver(approvers(), failed("prod-sso", WHY));

    assertThat(slack.messages())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.channel()).isEqualTo(CHANNEL);
              assertThat(m.text()).contains(WHY, "cannot be used");
            });
    assertThat(slack.messages().stream().map(FakeSlack.Message::channel))
        .doesNotContain(FakeSlack.dm(BOB_SLACK));
  }

  @Test
  void suppliedTextStaysText() {
    Change c = failed("prod<!channel>", "no user named <!here>@example.com");

    assertThat(AssignmentFailedNote.toRequester(c, PAGE))
        .contains("*prod&lt;!channel&gt;*", "&lt;!here&gt;")
        .doesNotContain("<!channel>", "<!here>");
    assertThat(AssignmentFailedNote.toApprovers(c, PAGE))
        .contains("*prod&lt;!channel&gt;*", "&lt;!here&gt;")
        .doesNotContain("<!channel>", "<!here>");
  }
}
