package dev.stint.app;

import dev.stint.access.RequestListener;
import dev.stint.audit.AuditLog;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.finding.FindingNews;
import dev.stint.finding.FindingService;
import dev.stint.http.RouteModule;
import dev.stint.http.SlackRoutes;
import dev.stint.lease.LeaseMessaging;
import dev.stint.notify.Alarms;
import dev.stint.notify.PageLinks;
import dev.stint.notify.slack.RequesterExtensionListener;
import dev.stint.notify.slack.RequesterListener;
import dev.stint.notify.slack.SlackApprovers;
import dev.stint.notify.slack.SlackEnvelopes;
import dev.stint.notify.slack.SlackExtensionListener;
import dev.stint.notify.slack.SlackFindingClicks;
import dev.stint.notify.slack.SlackFindingNews;
import dev.stint.notify.slack.SlackInteractions;
import dev.stint.notify.slack.SlackLeaseListener;
import dev.stint.notify.slack.SlackLinking;
import dev.stint.notify.slack.SlackLinks;
import dev.stint.notify.slack.SlackListener;
import dev.stint.notify.slack.SlackPostRecords;
import dev.stint.notify.slack.SlackReviewNews;
import dev.stint.notify.slack.SlackReviewers;
import dev.stint.notify.slack.SlackSocket;
import dev.stint.notify.slack.SlackWebApi;
import dev.stint.outbox.Outbox;
import dev.stint.policy.PolicyInForce;
import dev.stint.review.ReviewNews;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The Slack app, when {@code notify.slack.bot_token} is set: the request and extension messages and
 * the requesters' direct messages (outbox listeners), the clicks (the signed interaction endpoint,
 * with a signing secret; Socket Mode, with an app token) and the account linking page. Without it,
 * none of them exists: the endpoint's path is then the authenticated API's, and the page says Slack
 * is off.
 */
final class SlackWiring implements AutoCloseable {
  private final Optional<SlackWebApi> api;
  private final Optional<String> channel;
  private final Optional<SlackInteractions> interactions;
  private final Optional<SlackSocket> socket;
  private final boolean signedClicks;
  private final Optional<SlackLinking> linking;
  private final ReviewNews reviewNews;
  private final Optional<FindingNews> findingNews;

  /** What the Slack parts use from the rest of the server. */
  record Needs(Database database, PolicyInForce policies, AccessWiring access, AuditLog audit) {}

  SlackWiring(Vertx vertx, StintConfig config, Needs needs, Clock clock) {
    Optional<StintConfig.SlackApp> app = config.notifications().slack();
    this.api = app.map(a -> new SlackWebApi(vertx, a));
    this.channel = app.flatMap(StintConfig.SlackApp::channel);
    PageLinks pages = new PageLinks(config.publicUrl());
    Function<String, URI> links = pages::link;
    // Read on each use from the policy in force, so a reload applies to the next message and click.
    Predicate<String> stepUp =
        profile ->
            needs
                .policies()
                .current()
                .profile(profile)
                .map(p -> p.approval().stepUp())
                .orElse(false);
    SlackLinks store = new SlackLinks(needs.database().pool());
    app.ifPresent(
        a ->
            listen(
                a,
                needs,
                new Delivery(links, stepUp, store, direct(a, store, needs.policies(), clock)),
                clock));
    this.interactions = app.map(a -> interactions(a, needs, store, stepUp, config, clock));
    this.findingNews = app.map(a -> findingNews(a, needs, store, clock));
    this.linking = app.map(a -> new SlackLinking(api.orElseThrow(), store, needs.audit(), clock));
    this.reviewNews =
        api.<ReviewNews>map(slack -> reviewNews(vertx, slack, needs, pages, store, clock))
            .orElse(ReviewNews.NONE);
    this.signedClicks = app.flatMap(StintConfig.SlackApp::signingSecret).isPresent();
    this.socket =
        app.flatMap(StintConfig.SlackApp::appToken)
            .map(
                token ->
                    new SlackSocket(
                        vertx,
                        api.orElseThrow(),
                        token,
                        interactions.orElseThrow(),
                        new SlackEnvelopes(needs.database().pool()),
                        clock));
    socket.ifPresent(SlackSocket::start);
  }

  /**
   * The app's clicks: approve and deny (judged as the API judges them), an extension's vote, a
   * finding's Revoke.
   */
  private SlackInteractions interactions(
      StintConfig.SlackApp a,
      Needs needs,
      SlackLinks store,
      Predicate<String> stepUp,
      StintConfig config,
      Clock clock) {
    return new SlackInteractions(
            a,
            new SlackInteractions.Parts(
                api.orElseThrow(),
                store,
                needs.access().people(),
                needs.access().service().requests(),
                needs.access().bundles(),
                needs.access().service().decisions(),
                needs.policies(),
                needs.audit(),
                needs.access().directory(),
                stepUp),
            config.publicUrl(),
            clock)
        .decidingExtensions(extensionPort(needs))
        .revokingFindings(findingClicks(needs, clock))
        .decidingLeases(leasePort(needs, clock), needs.access().pages()::leaseLink);
  }

  /**
   * What the Slack listeners share: page links, the step-up rule, the account links, and with
   * {@code dm_approvers} whom to send a waiting message to directly.
   */
  private record Delivery(
      Function<String, URI> links,
      Predicate<String> stepUp,
      SlackLinks store,
      Optional<SlackApprovers> direct) {}

  private static Optional<SlackApprovers> direct(
      StintConfig.SlackApp a, SlackLinks store, PolicyInForce policies, Clock clock) {
    return a.dmApprovers()
        ? Optional.of(new SlackApprovers(store, policies, a.identityMaxAge(), clock))
        : Optional.empty();
  }

  /**
   * The outbox listeners: the request messages and the extension messages (each posted to the
   * channel, and with {@code dm_approvers} to those whose vote would count on it directly), and the
   * requesters' direct messages about their requests and their extensions; agents' asks, to their
   * holders, the channel and, where an approver must decide, those whose vote would count.
   */
  private void listen(StintConfig.SlackApp a, Needs needs, Delivery d, Clock clock) {
    Outbox<RequestListener.Change> outbox = needs.access().outbox();
    outbox.register(requests(a, needs, d, clock));
    // With neither a channel nor direct messages, extensions are decided on the web page only.
    if (a.channel().isPresent() || d.direct().isPresent()) {
      SlackExtensionPort port = extensionPort(needs);
      outbox.register(
          new SlackExtensionListener(
              api.orElseThrow(),
              SlackPostRecords.extensions(needs.database().pool()),
              a.channel(),
              new SlackExtensionListener.Parts(
                  port::find,
                  d.links(),
                  d.stepUp(),
                  d.direct()
                      .map(s -> s.ofExtensions(port::voters))
                      .orElse(x -> Future.succeededFuture(List.of()))),
              clock));
    }
    outbox.register(
        new SlackLeaseListener(
            api.orElseThrow(),
            SlackPostRecords.leases(needs.database().pool()),
            a.channel(),
            new SlackLeaseListener.Parts(
                leasePort(needs, clock),
                needs.access().pages()::leaseLink,
                d.stepUp(),
                d.store(),
                d.direct()),
            clock));
    outbox.register(new RequesterListener(api.orElseThrow(), d.store(), d.links()));
    outbox.register(new RequesterExtensionListener(api.orElseThrow(), d.store(), d.links()));
  }

  private SlackListener requests(StintConfig.SlackApp a, Needs needs, Delivery d, Clock clock) {
    AccessWiring access = needs.access();
    return new SlackListener(
            api.orElseThrow(),
            SlackPostRecords.requests(needs.database().pool()),
            a.channel(),
            d.links(),
            d.stepUp(),
            new SlackListener.Deciders(
                r -> access.service().requests().escalated(r).map(e -> e.to().source()),
                d.direct()
                    .map(
                        s ->
                            s.ofRequests(
                                access.approvers(), access.service().requests()::decidedWith))
                    .orElse(r -> Future.succeededFuture(List.of()))),
            clock)
        .bundledBy(access.bundles()::of);
  }

  /**
   * A finding message's Revoke: the finding as stored, a grant's revoke by the requests' use case
   * and a lease's by the lease service's, each judging who may.
   */
  private SlackFindingClicks findingClicks(Needs needs, Clock clock) {
    AccessWiring access = needs.access();
    return new SlackFindingClicks(
        api.orElseThrow(),
        SlackPostRecords.findings(needs.database().pool()),
        new SlackFindingClicks.Parts(
            FindingService.lookup(needs.database().pool()),
            access.service().decisions(),
            (caller, lease, comment) ->
                access.leases().leasing().revoke(caller, lease, comment).mapEmpty(),
            access.service().grants()::requestOfLease,
            access.pages()),
        clock);
  }

  /**
   * Live findings told in Slack: to the channel, the holder and, with {@code dm_approvers}, those
   * who could revoke them, linking to their pages.
   */
  private FindingNews findingNews(
      StintConfig.SlackApp a, Needs needs, SlackLinks store, Clock clock) {
    AccessWiring access = needs.access();
    return new SlackFindingNews(
        api.orElseThrow(),
        SlackPostRecords.findings(needs.database().pool()),
        channel,
        store,
        direct(a, store, needs.policies(), clock),
        new SlackFindingNews.Sources(
            access.service().grants()::requestOfLease, access.pages(), access.approvers()),
        clock);
  }

  /** Live findings told in Slack, with a Revoke button; empty without the Slack app. */
  Optional<FindingNews> findingNews() {
    return findingNews;
  }

  /** Agents' asks, read, judged and decided by the lease service. */
  private static SlackLeasePort leasePort(Needs needs, Clock clock) {
    AccessWiring access = needs.access();
    return new SlackLeasePort(
        new SlackLeasePort.Sources(
            new LeaseMessaging(access.leases(), needs.database().pool()),
            access.leases().leasing(),
            access.service().grants()::requestOfLease,
            needs.policies(),
            access.directory()),
        clock);
  }

  private static SlackExtensionPort extensionPort(Needs needs) {
    return new SlackExtensionPort(
        needs.access().extensions().messages(), needs.policies(), needs.access().directory());
  }

  /**
   * The open route for Slack's signed clicks; registers nothing when there is no Slack app or no
   * signing secret (clicks then come over Socket Mode only).
   */
  RouteModule routes() {
    return router ->
        interactions.filter(i -> signedClicks).ifPresent(i -> new SlackRoutes(i).register(router));
  }

  /**
   * Unsigned or forged calls to the interaction endpoint: not audited, so counted here; and whether
   * the Socket Mode connection is up.
   */
  void publish(MeterRegistry registry) {
    socket.ifPresent(
        s ->
            Gauge.builder("stint_slack_socket_connected", s, x -> x.connected() ? 1 : 0)
                .description("1 while the Slack Socket Mode connection is open and greeted")
                .register(registry));
    interactions.ifPresent(
        i ->
            FunctionCounter.builder(
                    "stint_slack_unverified_calls", i, SlackInteractions::unverified)
                .description("Calls to the Slack interaction endpoint refused for their signature")
                .register(registry));
  }

  /**
   * Access reviews in Slack: the channel request messages go to, and each linked reviewer, with a
   * link to the review's page.
   */
  private ReviewNews reviewNews(
      Vertx vertx, SlackWebApi slack, Needs needs, PageLinks pages, SlackLinks store, Clock clock) {
    return new SlackReviewNews(
        slack,
        channel,
        pages::reviewLink,
        new SlackReviewers(
            vertx,
            new SlackReviewers.Sources(
                needs.access().people(), needs.policies(), needs.access().directory()),
            store,
            clock));
  }

  /** Telling reviewers of access reviews in Slack; nobody is told without the Slack app. */
  ReviewNews reviewNews() {
    return reviewNews;
  }

  Optional<SlackLinking> linking() {
    return linking;
  }

  /** Closes the Socket Mode connection: no click may arrive once the parts deciding it stop. */
  void stopSocket() {
    socket.ifPresent(SlackSocket::close);
  }

  @Override
  public void close() throws Exception {
    stopSocket();
    if (api.isPresent()) {
      api.get().close();
    }
  }

  /** The Slack app's channel for alarms that concern no request, when the app is configured. */
  Optional<Alarms.SlackChannel> alarmChannel() {
    return api.flatMap(a -> channel.map(c -> new Alarms.SlackChannel(a, c)));
  }
}
