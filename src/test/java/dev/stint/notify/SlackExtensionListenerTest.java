package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.Grant;
import dev.stint.access.RequestListener;
import dev.stint.config.StintConfig;
import dev.stint.identity.Person;
import dev.stint.outbox.DurableListener;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.Requests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Extensions in Slack, against the stand-in: an ask that waits is posted with its buttons and the
 * end it asks for; its decision updates it without buttons; an approval updates the request's own
 * message to the grant's new end.
 */
class SlackExtensionListenerTest {
  static final String CHANNEL = "C0APPROVALS";
  static final Instant T = Instant.parse("2026-11-25T09:00:00Z");
  static final Instant END = T.plus(Duration.ofHours(1));
  static final Person BOB = new Person("https://idp.test", "bob", Optional.of("bob@example.com"));
  static final URI PAGE = URI.create("https://stint.example.com/ui/requests/req_1");

  Vertx vertx;
  FakeSlack slack;
  SlackWebApi api;
  final Map<String, SlackExtension> extensions = new ConcurrentHashMap<>();
  final InMemoryPosts extensionPosts = new InMemoryPosts();
  final InMemoryPosts requestPosts = new InMemoryPosts();
  SlackExtensionListener listener;

  /** The listeners' tables, in memory. */
  static final class InMemoryPosts implements SlackPosts {
    final Map<String, List<SlackMessages.Posted>> rows = new ConcurrentHashMap<>();

    @Override
    public Future<List<SlackMessages.Posted>> all(String id) {
      return Future.succeededFuture(List.copyOf(rows.getOrDefault(id, List.of())));
    }

    @Override
    public Future<Void> posted(String id, SlackMessages.Posted posted, Instant at) {
      rows.computeIfAbsent(id, k -> new ArrayList<>()).add(posted);
      return Future.succeededFuture();
    }
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    slack = new FakeSlack(CHANNEL);
    api =
        new SlackWebApi(
            vertx,
            new StintConfig.SlackApp(
                FakeSlack.TOKEN, "s".repeat(32), CHANNEL, slack.apiUrl(), Duration.ofDays(1)));
    listener =
        new SlackExtensionListener(
            api,
            extensionPosts,
            CHANNEL,
            new SlackExtensionListener.Parts(
                id -> Future.succeededFuture(Optional.ofNullable(extensions.get(id))),
                id -> PAGE,
                profile -> false),
            Clock.fixed(T, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
    slack.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static AccessRequest request(Instant end) {
    return Requests.approved("req_1")
        .grant(
            new Grant(
                "grt_1",
                "req_1",
                "prod",
                Requests.ALICE,
                T,
                end,
                false,
                Optional.empty(),
                Optional.empty()))
        .build();
  }

  static SlackExtension extension(String state, Instant end, Optional<Person> by) {
    return new SlackExtension(
        "ext_1",
        request(end),
        new SlackExtension.Asked(Requests.ALICE, Duration.ofMinutes(30), "<!channel> deploy", 2),
        new SlackExtension.Standing(state, "approved".equals(state) ? 2 : 0, by));
  }

  static RequestListener.Change change(String event, Instant end) {
    return new RequestListener.Change(
        event, request(end), Requests.ALICE, Optional.of("ext_1: +30m (deploy)"), T);
  }

  private void deliver(DurableListener<RequestListener.Change> l, RequestListener.Change c)
      throws Exception {
    assertThat(l.wants(c)).isTrue();
    l.deliver(c, new DurableListener.Delivery(1, 1)).await(10, TimeUnit.SECONDS);
  }

  @Test
  void anAskThatWaitsIsPostedWithButtonsTheEndNowAndTheEndAsked() throws Exception {
    extensions.put("ext_1", extension("pending", END, Optional.empty()));

    deliver(listener, change("grant.extension_requested", END));
    deliver(listener, change("grant.extension_requested", END)); // a retry posts nothing more

    assertThat(slack.messages()).hasSize(1);
    FakeSlack.Message m = slack.messages().get(0);
    assertThat(m.channel()).isEqualTo(CHANNEL);
    assertThat(FakeSlack.actionIds(m.blocks()))
        .containsExactly(SlackExtensionMessage.APPROVE, SlackExtensionMessage.DENY);
    String text = FakeSlack.text(m.blocks());
    assertThat(text).contains("ext_1", "grt_1", END.toString(), END.plusSeconds(1800).toString());
    assertThat(text).contains("&lt;!channel&gt; deploy").doesNotContain("<!channel>");
    assertThat(m.blocks().toString()).contains("\"value\":\"ext_1\"");
    assertThat(extensionPosts.rows.get("ext_1")).hasSize(1);
  }

  @Test
  void anAskApprovedAtOnceIsNotPosted() throws Exception {
    extensions.put("ext_1", extension("approved", END.plusSeconds(1800), Optional.empty()));

    deliver(listener, change("grant.extension_requested", END));

    assertThat(slack.messages()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "grant.extended, approved, Approved",
    "grant.extension_denied, denied, Denied",
    "grant.extension_cancelled, cancelled, Cancelled",
    "grant.extension_expired, expired, Expired"
  })
  void aDecisionUpdatesTheMessageWithItsOutcomeAndNoButtons(
      String event, String state, String shown) throws Exception {
    extensions.put("ext_1", extension("pending", END, Optional.empty()));
    deliver(listener, change("grant.extension_requested", END));
    Instant after = "approved".equals(state) ? END.plusSeconds(1800) : END;
    extensions.put("ext_1", extension(state, after, Optional.of(BOB)));

    deliver(listener, change(event, after));

    FakeSlack.Message m = slack.messages().get(0);
    assertThat(slack.updates()).hasSize(1);
    assertThat(FakeSlack.actionIds(m.blocks())).isEmpty();
    assertThat(FakeSlack.text(m.blocks())).contains(shown);
    if ("approved".equals(state)) {
      assertThat(FakeSlack.text(m.blocks())).contains("access now until " + after);
    }
  }

  @Test
  void anApprovalUpdatesTheRequestsOwnMessageToTheNewEnd() throws Exception {
    SlackListener requests =
        new SlackListener(api, requestPosts, CHANNEL, id -> PAGE, p -> false, Clock.systemUTC());
    String ts = api.post(CHANNEL, "request", "[]").await(10, TimeUnit.SECONDS);
    requestPosts.posted("req_1", new SlackMessages.Posted(CHANNEL, ts), T);
    Instant moved = END.plusSeconds(1800);

    deliver(requests, change("grant.extended", moved));

    assertThat(FakeSlack.text(slack.message(CHANNEL, ts).orElseThrow().blocks()))
        .contains("access until " + moved);
  }

  @Test
  void aVoteUpdatesTheCountAndARequestsVoteCommentNamingAnExtensionChangesNothing()
      throws Exception {
    extensions.put("ext_1", extension("pending", END, Optional.empty()));
    deliver(listener, change("grant.extension_requested", END));
    SlackExtension voted =
        new SlackExtension(
            "ext_1",
            request(END),
            extension("pending", END, Optional.empty()).asked(),
            new SlackExtension.Standing("pending", 1, Optional.empty()));
    extensions.put("ext_1", voted);

    deliver(listener, change("approval.recorded", END));
    assertThat(FakeSlack.text(slack.messages().get(0).blocks())).contains("1 of 2");

    RequestListener.Change other =
        new RequestListener.Change(
            "approval.recorded",
            Requests.pending("req_2").build(),
            BOB,
            Optional.of("ext_1: looks fine"),
            T);
    listener.deliver(other, new DurableListener.Delivery(2, 1)).await(10, TimeUnit.SECONDS);
    assertThat(slack.updates()).hasSize(1);
  }
}
