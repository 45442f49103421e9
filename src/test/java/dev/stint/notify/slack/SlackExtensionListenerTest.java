package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.RequestListener;
import dev.stint.access.Vote;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.extension.Extension;
import dev.stint.identity.Directory;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.outbox.DurableListener;
import dev.stint.people.StoredClaims;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyInForce;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.Patience;
import dev.stint.testing.PolicyFixtures;
import dev.stint.testing.Requests;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * message to the grant's new end. With dm_approvers (the real link table), the ask also goes to
 * each linked person whose vote would count on the extension, and every copy is updated.
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
  Database db;

  /** The listeners' tables, in memory. */
  static final class InMemoryPosts implements SlackPosts {
    final Map<String, List<SlackPosts.Posted>> rows = new ConcurrentHashMap<>();

    @Override
    public Future<List<SlackPosts.Posted>> all(String id) {
      return Future.succeededFuture(List.copyOf(rows.getOrDefault(id, List.of())));
    }

    @Override
    public Future<Void> posted(String id, SlackPosts.Posted posted, Instant at) {
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
            Optional.of(CHANNEL),
            new SlackExtensionListener.Parts(
                id -> Future.succeededFuture(Optional.ofNullable(extensions.get(id))),
                id -> PAGE,
                profile -> false,
                x -> Future.succeededFuture(List.of())),
            Clock.fixed(T, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
    slack.close();
    if (db != null) {
      db.close();
    }
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
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
                Optional.empty(),
                Narrowed.NONE))
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
    l.deliver(c, new DurableListener.Delivery(1, 1))
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
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
    String ts =
        api.post(CHANNEL, "request", "[]").await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    requestPosts.posted("req_1", new SlackPosts.Posted(CHANNEL, ts), T);
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
    // The approver left: stint withdrew the vote, and the message counts it no more.
    extensions.put("ext_1", extension("pending", END, Optional.empty()));
    deliver(listener, change("approval.withdrawn", END));
    assertThat(FakeSlack.text(slack.messages().get(0).blocks())).contains("0 of 2");

    RequestListener.Change other =
        new RequestListener.Change(
            "approval.recorded",
            Requests.pending("req_2").build(),
            BOB,
            Optional.of("ext_1: looks fine"),
            T);
    listener
        .deliver(other, new DurableListener.Delivery(2, 1))
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThat(slack.updates()).hasSize(2);
  }

  // With dm_approvers: the extension's approvers, judged by the extension's own rule on the claims
  // of their Slack links, as the server's port judges them.

  static final Policy POLICY =
      PolicyFixtures.load(
          """
      issuers:
        corp: {issuer: https://login.example.com, audience: stint}
      web: {issuer: corp, client_id: stint-web}
      profiles:
        prod:
          aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          extension: {max_total: 4h, approval: required}
      """);
  static final Duration IDENTITY_MAX_AGE = Duration.ofDays(1);
  static final Principal HOLDER = PolicyFixtures.person("alice", "alice@corp", List.of("sre"));
  static final Principal VOTED_ON_REQUEST =
      PolicyFixtures.person("bob", "bob@corp", List.of("sre"));
  static final Principal NOT_AN_APPROVER =
      PolicyFixtures.person("carol", "carol@corp", List.of("eng"));
  static final Principal STALE = PolicyFixtures.person("dave", "dave@corp", List.of("sre"));
  static final Principal VOTED_ON_EXTENSION =
      PolicyFixtures.person("erin", "erin@corp", List.of("sre"));

  /** Alice's approved request for prod, which bob approved, and her grant until {@link #END}. */
  static AccessRequest holdersRequest() {
    return Requests.approved("req_1")
        .requester(HOLDER.person())
        .votes(
            List.of(
                new Vote(VOTED_ON_REQUEST.person(), Vote.Decision.APPROVE, Optional.empty(), T)))
        .grant(
            new Grant(
                "grt_1",
                "req_1",
                "prod",
                HOLDER.person(),
                T,
                END,
                false,
                Optional.empty(),
                Optional.empty(),
                Narrowed.NONE))
        .build();
  }

  /** Alice's extension of it, needing two approvals, which erin has already approved. */
  static Extension holdersExtension() {
    return new Extension(
        "ext_1",
        "grt_1",
        "req_1",
        "prod",
        HOLDER.person(),
        Duration.ofMinutes(30),
        "deploy",
        2,
        Extension.State.PENDING,
        List.of(new Vote(VOTED_ON_EXTENSION.person(), Vote.Decision.APPROVE, Optional.empty(), T)),
        T,
        T,
        1);
  }

  static SlackExtension shown(String state, Optional<Person> by) {
    Extension e = holdersExtension();
    return new SlackExtension(
        e.id(),
        holdersRequest(),
        new SlackExtension.Asked(e.requester(), e.duration(), e.reason(), e.approvalsRequired()),
        new SlackExtension.Standing(state, "approved".equals(state) ? 2 : 1, by));
  }

  /**
   * The listener as the server wires it with dm_approvers: the real link table and SlackApprovers,
   * and the extension's rule ({@link Extension#couldBeApprovedBy}) on each link's stored claims.
   */
  SlackExtensionListener direct(Optional<String> channel) throws Exception {
    db = Database.connect(vertx, TestPostgres.migratedDatabase(), 2);
    SlackLinks links = new SlackLinks(db.pool());
    for (Principal p : List.of(HOLDER, VOTED_ON_REQUEST, NOT_AN_APPROVER, VOTED_ON_EXTENSION)) {
      link(links, p, T);
    }
    link(links, STALE, T.minus(IDENTITY_MAX_AGE).minusSeconds(60));
    SlackApprovers.Counts extensionsRule =
        (stored, issuer, subject) ->
            StoredClaims.principal(stored, issuer, subject, POLICY::issuer, Directory.NONE)
                .filter(
                    p ->
                        holdersExtension()
                            .couldBeApprovedBy(p, holdersRequest(), new PolicyEvaluator(POLICY), T))
                .isPresent();
    Clock clock = Clock.fixed(T, ZoneOffset.UTC);
    return new SlackExtensionListener(
        api,
        extensionPosts,
        channel,
        new SlackExtensionListener.Parts(
            id -> Future.succeededFuture(Optional.ofNullable(extensions.get(id))),
            id -> PAGE,
            profile -> false,
            new SlackApprovers(links, new PolicyInForce(POLICY), IDENTITY_MAX_AGE, clock)
                .ofExtensions(id -> Future.succeededFuture(extensionsRule))),
        clock);
  }

  /** {@code p}'s Slack link (user U0 and their name in capitals), verified at {@code at}. */
  void link(SlackLinks links, Principal p, Instant at) throws Exception {
    String user = slackUser(p);
    slack.user(user);
    links
        .offer(p.issuer(), p.subject(), FakeSlack.TEAM, user, "CODE1234", at.plusSeconds(600))
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThat(
            links
                .redeem(p.issuer(), p.subject(), "CODE1234", StoredClaims.of(p), at, at)
                .await(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .isPresent();
  }

  static String slackUser(Principal p) {
    return "U0" + p.subject().toUpperCase(Locale.ROOT);
  }

  static RequestListener.Change holdersChange(String event) {
    return new RequestListener.Change(
        event, holdersRequest(), HOLDER.person(), Optional.of("ext_1: +30m (deploy)"), T);
  }

  @Test
  void anAskGoesByDirectMessageOnlyToThoseWhoseVoteWouldCountOnTheExtension() throws Exception {
    SlackExtensionListener l = direct(Optional.of(CHANNEL));
    extensions.put("ext_1", shown("pending", Optional.empty()));

    deliver(l, holdersChange("grant.extension_requested"));
    deliver(l, holdersChange("grant.extension_requested")); // a retry posts nothing more

    // Bob approved the request, yet his vote would count on the extension; alice asked it, carol
    // is no approver, dave's claims are older than identity_max_age, erin has voted on it.
    assertThat(slack.messages())
        .extracting(FakeSlack.Message::channel)
        .containsExactly(CHANNEL, FakeSlack.dm(slackUser(VOTED_ON_REQUEST)));
    assertThat(slack.messages())
        .allSatisfy(
            m ->
                assertThat(FakeSlack.actionIds(m.blocks()))
                    .containsExactly(SlackExtensionMessage.APPROVE, SlackExtensionMessage.DENY));
    assertThat(extensionPosts.rows.get("ext_1")).hasSize(2);
  }

  @Test
  void aDecisionUpdatesEveryCopyInPlaceWithoutButtons() throws Exception {
    SlackExtensionListener l = direct(Optional.of(CHANNEL));
    extensions.put("ext_1", shown("pending", Optional.empty()));
    deliver(l, holdersChange("grant.extension_requested"));
    extensions.put("ext_1", shown("denied", Optional.of(VOTED_ON_REQUEST.person())));

    deliver(l, holdersChange("grant.extension_denied"));

    assertThat(slack.updates())
        .extracting(FakeSlack.Message::channel)
        .containsExactlyInAnyOrder(CHANNEL, FakeSlack.dm(slackUser(VOTED_ON_REQUEST)));
    for (SlackPosts.Posted p : extensionPosts.rows.get("ext_1")) {
      FakeSlack.Message m = slack.message(p.channel(), p.ts()).orElseThrow();
      assertThat(FakeSlack.actionIds(m.blocks())).isEmpty();
      assertThat(FakeSlack.text(m.blocks())).contains("Denied");
    }
  }

  @Test
  void withoutAChannelAnAskGoesToApproversDirectMessagesOnly() throws Exception {
    SlackExtensionListener l = direct(Optional.empty());
    extensions.put("ext_1", shown("pending", Optional.empty()));

    deliver(l, holdersChange("grant.extension_requested"));

    assertThat(slack.messages())
        .extracting(FakeSlack.Message::channel)
        .containsExactly(FakeSlack.dm(slackUser(VOTED_ON_REQUEST)));
  }
}
