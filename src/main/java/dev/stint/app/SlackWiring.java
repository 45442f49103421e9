package dev.stint.app;

import dev.stint.access.AccessSettings;
import dev.stint.audit.AuditLog;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.http.RouteModule;
import dev.stint.http.SlackRoutes;
import dev.stint.notify.Alarms;
import dev.stint.notify.RequesterExtensionListener;
import dev.stint.notify.RequesterListener;
import dev.stint.notify.SlackApprovers;
import dev.stint.notify.SlackEnvelopes;
import dev.stint.notify.SlackExtensionListener;
import dev.stint.notify.SlackExtensionMessages;
import dev.stint.notify.SlackInteractions;
import dev.stint.notify.SlackLinking;
import dev.stint.notify.SlackLinks;
import dev.stint.notify.SlackListener;
import dev.stint.notify.SlackMessages;
import dev.stint.notify.SlackSocket;
import dev.stint.notify.SlackWebApi;
import dev.stint.policy.PolicyStore;
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
 * The Slack app, when {@code notify.slack.bot_token} is set: the request messages and the
 * requesters' direct messages (outbox listeners), the clicks (the signed interaction endpoint, with
 * a signing secret; Socket Mode, with an app token) and the account linking page. Without it, none
 * of them exists: the endpoint's path is then the authenticated API's, and the page says Slack is
 * off.
 */
final class SlackWiring implements AutoCloseable {
  private final Optional<SlackWebApi> api;
  private final Optional<String> channel;
  private final Optional<SlackInteractions> interactions;
  private final Optional<SlackSocket> socket;
  private final boolean signedClicks;
  private final Optional<SlackLinking> linking;

  /** What the Slack parts use from the rest of the server. */
  record Needs(Database database, PolicyStore policies, AccessWiring access, AuditLog audit) {}

  SlackWiring(Vertx vertx, StintConfig config, Needs needs, Clock clock) {
    Optional<StintConfig.SlackApp> app = config.notifications().slack();
    this.api = app.map(a -> new SlackWebApi(vertx, a));
    this.channel = app.flatMap(StintConfig.SlackApp::channel);
    Function<String, URI> links =
        new AccessSettings(
                config.access().reviewTimeout(),
                AccessSettings.DEFAULT_MAX_SCHEDULE_AHEAD,
                config.publicUrl())
            ::link;
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
    app.ifPresent(a -> listen(a, needs, new Delivery(links, stepUp, store), clock));
    this.interactions =
        app.map(
            a ->
                new SlackInteractions(
                        a,
                        new SlackInteractions.Parts(
                            api.orElseThrow(),
                            store,
                            needs.access().people(),
                            needs.access().service(),
                            needs.policies(),
                            needs.audit(),
                            stepUp),
                        config.publicUrl(),
                        clock)
                    .decidingExtensions(extensionPort(needs.access())));
    this.linking = app.map(a -> new SlackLinking(api.orElseThrow(), store, needs.audit(), clock));
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

  /** What the Slack listeners share: page links, the step-up rule, the account links. */
  private record Delivery(
      Function<String, URI> links, Predicate<String> stepUp, SlackLinks store) {}

  /**
   * The outbox listeners: the request messages (posted to the channel, or to approvers directly),
   * the extensions' channel messages, and the requesters' direct messages about their requests and
   * their extensions.
   */
  private void listen(StintConfig.SlackApp a, Needs needs, Delivery d, Clock clock) {
    AccessWiring access = needs.access();
    access
        .outbox()
        .register(
            new SlackListener(
                    api.orElseThrow(),
                    new SlackMessages(needs.database().pool()),
                    a.channel(),
                    d.links(),
                    d.stepUp(),
                    r -> access.service().escalated(r).map(e -> e.to().source()),
                    a.dmApprovers()
                        ? new SlackApprovers(
                            d.store(),
                            access.approvers(),
                            access.service()::decidedWith,
                            needs.policies(),
                            a.identityMaxAge(),
                            clock)
                        : r -> Future.succeededFuture(List.of()),
                    clock)
                .bundledBy(access.service().bundles()::of));
    // Extensions go to the channel only (not to approvers' direct messages): with no channel,
    // they are not posted, and are decided on the web page.
    a.channel()
        .ifPresent(
            c ->
                access
                    .outbox()
                    .register(
                        new SlackExtensionListener(
                            api.orElseThrow(),
                            new SlackExtensionMessages(needs.database().pool()),
                            c,
                            new SlackExtensionListener.Parts(
                                extensionPort(access)::find, d.links(), d.stepUp()),
                            clock)));
    access.outbox().register(new RequesterListener(api.orElseThrow(), d.store(), d.links()));
    access
        .outbox()
        .register(new RequesterExtensionListener(api.orElseThrow(), d.store(), d.links()));
  }

  private static SlackExtensionPort extensionPort(AccessWiring access) {
    return new SlackExtensionPort(access.extensionStore(), access.extensions());
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
