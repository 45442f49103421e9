package dev.stint.notify.slack;

import dev.stint.access.AccessRequest;
import dev.stint.access.Action;
import dev.stint.access.Bundles;
import dev.stint.access.Caller;
import dev.stint.access.Decisions;
import dev.stint.access.Requests;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.config.StintConfig;
import dev.stint.error.StintException;
import dev.stint.identity.Directory;
import dev.stint.people.PeopleSeen;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A click on a request message's button, from {@code POST /v1/slack/interactions} or a Socket Mode
 * envelope ({@link SlackSocket}), in order: (1) Slack's signature, before the body is read (over
 * Socket Mode, the connection opened with the app token stands for it); (2) the payload; (3) the
 * action; (4) the Slack user's link to a stint person (or, where enabled, the one person seen with
 * the Slack profile's verified email: {@link SlackIdentity}); (5) that person's identity as last
 * verified at a web sign-in, no older than {@code notify.slack.identity_max_age}; (6) step-up
 * profiles are decided on the web page only, and so is a bundle with a step-up profile anywhere in
 * it; (7) the decision itself, by the same use case as the web and the CLI, so the approver rule,
 * self-approval and every other rule are the access service's (an agent's ask, the lease service's:
 * {@link SlackLeaseClicks}). Steps (4) and (5) are {@link SlackClicker}'s. A finding message's
 * Revoke goes through the same steps but (6): taking access away needs no fresh sign-in on any
 * channel; the revoke is {@link SlackFindingClicks}'. Every click is recorded ({@code
 * slack.interaction}), whatever its outcome; a refused clicker is told why in a message only they
 * see.
 */
public final class SlackInteractions {
  private static final Logger LOG = LoggerFactory.getLogger(SlackInteractions.class);

  /** What the endpoint answers: done (200), not Slack's (401), or unreadable (400). */
  public enum Verdict {
    DONE,
    UNVERIFIED,
    MALFORMED
  }

  private final StintConfig.SlackApp app;
  private final SlackApi slack;
  private final SlackClicker clicker;
  private final Requests requests;
  private final Bundles bundles;
  private final Decisions decisions;
  private final AuditLog audit;
  private final Predicate<String> stepUp;
  private final URI publicUrl;
  private final Clock clock;
  private final AtomicLong unverified = new AtomicLong();
  private SlackExtensionDecisions extensions = SlackExtensionDecisions.NONE;
  private Optional<SlackFindingClicks> findings = Optional.empty();
  private Optional<SlackLeaseClicks> leases = Optional.empty();

  /** The collaborators a click needs; {@code stepUp} tells which profiles need the web page. */
  public record Parts(
      SlackApi slack,
      SlackLinks links,
      PeopleSeen people,
      Requests requests,
      Bundles bundles,
      Decisions decisions,
      PolicyInForce policies,
      AuditLog audit,
      Directory directory,
      Predicate<String> stepUp) {}

  public SlackInteractions(StintConfig.SlackApp app, Parts parts, URI publicUrl, Clock clock) {
    this.app = app;
    this.slack = parts.slack();
    this.publicUrl = publicUrl;
    this.clicker =
        new SlackClicker(
            app,
            new SlackIdentity(
                parts.slack(),
                parts.links(),
                parts.people(),
                parts.policies(),
                app.emailLinkWithin(),
                app.teamId(),
                clock),
            parts.policies(),
            parts.directory(),
            linkPage(),
            clock);
    this.requests = parts.requests();
    this.bundles = parts.bundles();
    this.decisions = parts.decisions();
    this.audit = parts.audit();
    this.stepUp = parts.stepUp();
    this.clock = clock;
  }

  /** Lets clicks on extension messages decide them; without it, each such click is refused. */
  public SlackInteractions decidingExtensions(SlackExtensionDecisions decisions) {
    this.extensions = decisions;
    return this;
  }

  /** Lets a finding message's Revoke button revoke; without it, each such click is refused. */
  public SlackInteractions revokingFindings(SlackFindingClicks clicks) {
    this.findings = Optional.of(clicks);
    return this;
  }

  /**
   * Lets clicks on agents' asks decide them, their pages at {@code pages}; without it, each such
   * click is refused.
   */
  public SlackInteractions decidingLeases(
      SlackLeaseDecisions decisions, Function<String, URI> pages) {
    this.leases = Optional.of(new SlackLeaseClicks(decisions, stepUp, pages));
    return this;
  }

  /** Calls refused before anything in them was believed (no or a wrong signature). */
  public long unverified() {
    return unverified.get();
  }

  /** The linking page, where a refused clicker is sent. */
  public URI linkPage() {
    return URI.create(publicUrl.toString().replaceAll("/+$", "") + "/ui/slack/link");
  }

  /**
   * A signed HTTP call from Slack. Without a signing secret (Socket Mode only), no call can be
   * verified, and none is believed.
   */
  public Future<Verdict> handle(String timestamp, String signature, byte[] body) {
    Optional<String> forged =
        app.signingSecret()
            .map(
                secret ->
                    SlackSignature.refuse(secret, timestamp, signature, body, clock.instant()))
            .orElse(Optional.of("no signing secret is set: clicks arrive over Socket Mode"));
    if (forged.isPresent()) {
      // Like the API's 401s, not audited: nothing in it can be believed, and anyone who reaches
      // the endpoint could otherwise write to the audit log at will. Counted and logged instead.
      unverified.incrementAndGet();
      LOG.warn("refused a call to the Slack interaction endpoint: {}", forged.get());
      return Future.succeededFuture(Verdict.UNVERIFIED);
    }
    return clicked(SlackClick.parse(body), "http");
  }

  /**
   * The payload of a Socket Mode envelope. No signature: the WebSocket that carried it was opened
   * with the app token, over TLS, to the address Slack's {@code apps.connections.open} gave.
   */
  public Future<Verdict> handleEnvelope(String payload) {
    return clicked(SlackClick.fromPayload(payload), "socket_mode");
  }

  private Future<Verdict> clicked(Optional<SlackClick> click, String via) {
    if (click.isEmpty()) {
      return record(
              AuditEvent.builder("slack.interaction").detail("via", via),
              "refused",
              "not a block_actions payload with one action")
          .map(Verdict.MALFORMED);
    }
    return decide(click.get(), via).map(Verdict.DONE);
  }

  /** The click's audit event, as far as the click itself tells. */
  private static AuditEvent.Builder event(SlackClick c, String via) {
    AuditEvent.Builder event =
        AuditEvent.builder("slack.interaction")
            .detail("via", via)
            .detail("slack_team", c.team())
            .detail("slack_user", c.user())
            .detail("action_id", c.actionId());
    // An extension's or a finding's request is named once it is found.
    if (c.finding()) {
      return event.detail("finding_id", c.value());
    }
    if (c.lease()) {
      return event.detail("lease_id", c.value());
    }
    return c.extension() ? event.detail("extension_id", c.value()) : event.requestId(c.value());
  }

  private Future<Void> decide(SlackClick c, String via) {
    AuditEvent.Builder event = event(c, via);
    if (SlackMessage.OPEN.equals(c.actionId())) {
      return record(event, "ok", "opened the web page to decide there");
    }
    Optional<Action> action = c.action();
    if (action.isEmpty()) {
      return record(event, "refused", "unknown action");
    }
    return clicker
        .of(c, event)
        .compose(
            who -> {
              if (who.refusal().isPresent()) {
                return refuse(
                    c, event, who.refusal().get().reason(), who.refusal().get().message());
              }
              Caller caller = who.caller().orElseThrow();
              if (c.finding()) {
                return concluded(c, action.get(), event, revokeFinding(c, caller, event));
              }
              if (c.lease()) {
                return concluded(c, action.get(), event, decideLease(c, caller, event));
              }
              return c.extension()
                  ? decideExtension(c, caller, action.get(), event)
                  : decide(c, caller, action.get(), event);
            });
  }

  private Future<Void> decide(
      SlackClick c, Caller caller, Action action, AuditEvent.Builder event) {
    Future<Optional<SlackRefusal>> decided =
        requests
            .get(caller, c.value())
            .compose(
                r -> {
                  event.profile(r.profile());
                  return webPageOnly(r);
                })
            .compose(
                webOnly ->
                    webOnly.isPresent()
                        ? Future.succeededFuture(webOnly)
                        : decisions
                            .decide(caller, c.value(), action, Optional.empty())
                            .map(done -> Optional.<SlackRefusal>empty()));
    return concluded(c, action, event, decided);
  }

  /**
   * A click on an extension's message: decided by the extension service's own use case, under the
   * same checks of the clicker as a request's (signature, link, identity age, step-up, then the
   * service's approver rule and its refusal of the asker's own vote), and audited the same way.
   */
  private Future<Void> decideExtension(
      SlackClick c, Caller caller, Action action, AuditEvent.Builder event) {
    Future<Optional<SlackRefusal>> decided =
        extensions
            .find(c.value())
            .compose(
                found -> {
                  if (found.isEmpty()) {
                    return Future.succeededFuture(
                        Optional.of(
                            new SlackRefusal(
                                "no extension " + c.value(),
                                "stint refused: no extension " + c.value())));
                  }
                  var r = found.get().request();
                  event.requestId(r.id()).profile(r.profile());
                  if (stepUp.test(r.profile())) {
                    return Future.succeededFuture(
                        Optional.of(
                            new SlackRefusal(
                                "step-up profile '"
                                    + r.profile()
                                    + "': decided on the web page only",
                                "Extensions of "
                                    + r.profile()
                                    + " are decided on the web page, after a fresh sign-in: "
                                    + page(r.id()))));
                  }
                  return extensions
                      .decide(caller, c.value(), action)
                      .map(done -> Optional.<SlackRefusal>empty());
                });
    return concluded(c, action, event, decided);
  }

  /** A finding message's Revoke: {@link SlackFindingClicks}, when this server has it. */
  private Future<Optional<SlackRefusal>> revokeFinding(
      SlackClick c, Caller caller, AuditEvent.Builder event) {
    if (findings.isEmpty()) {
      return Future.succeededFuture(
          Optional.of(
              new SlackRefusal(
                  "findings are not revoked from Slack here",
                  "stint refused: revoke on the web page")));
    }
    return findings.get().revoke(c, caller, event);
  }

  /** An agent's ask's Approve or Deny: {@link SlackLeaseClicks}, when this server has it. */
  private Future<Optional<SlackRefusal>> decideLease(
      SlackClick c, Caller caller, AuditEvent.Builder event) {
    return leases
        .map(l -> l.decide(c, caller, c.action().orElseThrow(), event))
        .orElse(
            Future.succeededFuture(
                Optional.of(
                    new SlackRefusal(
                        "task leases are not decided from Slack here",
                        "stint refused: decide on the web page"))));
  }

  private String page(String requestId) {
    return publicUrl.toString().replaceAll("/+$", "") + "/ui/requests/" + requestId;
  }

  /** The click's record and, for a refusal, the clicker's message. */
  private Future<Void> concluded(
      SlackClick c,
      Action action,
      AuditEvent.Builder event,
      Future<Optional<SlackRefusal>> decided) {
    // Only the decision's own failure is a refusal: once the vote has committed, failing to
    // write this record must not tell the clicker (or the audit) it was refused.
    return decided.transform(
        ar -> {
          if (ar.succeeded()) {
            return ar.result().isPresent()
                ? refuse(c, event, ar.result().get().reason(), ar.result().get().message())
                : record(event, "ok", action.code() + " from Slack");
          }
          if (ar.cause() instanceof StintException refusal) {
            return refuse(c, event, refusal.getMessage(), "stint refused: " + refusal.getMessage());
          }
          LOG.error("slack click on {} failed: {}", c.value(), ar.cause().toString());
          return record(event, "error", "the decision could not be recorded")
              .compose(
                  x ->
                      tell(
                          c, "stint could not record your click; try the web page: " + linkPage()));
        });
  }

  /**
   * Why a click on {@code r} must be made on the web page: a step-up profile among those it decides
   * (a vote on a bundled request is the whole bundle's, so each of the bundle's profiles is asked).
   */
  private Future<Optional<SlackRefusal>> webPageOnly(AccessRequest r) {
    return bundles
        .of(r.id())
        .map(
            bundle ->
                bundle.map(Bundles.Ref::profiles).orElse(List.of(r.profile())).stream()
                    .filter(stepUp)
                    .findFirst()
                    .map(
                        profile ->
                            new SlackRefusal(
                                "step-up profile '"
                                    + profile
                                    + "': decided on the web page"
                                    + " only",
                                "Requests for "
                                    + profile
                                    + " are decided on the web page, after a fresh"
                                    + " sign-in: "
                                    + publicUrl.toString().replaceAll("/+$", "")
                                    + "/ui/requests/"
                                    + r.id())));
  }

  private Future<Void> refuse(
      SlackClick c, AuditEvent.Builder event, String reason, String message) {
    return record(event, "refused", reason).compose(x -> tell(c, message));
  }

  /** The clicker hears why in a message only they see; failing to tell them changes nothing. */
  private Future<Void> tell(SlackClick c, String message) {
    if (c.channel().isEmpty()) {
      return Future.succeededFuture();
    }
    slack
        .ephemeral(c.channel().get(), c.user(), SlackText.escape(message))
        .onFailure(e -> LOG.warn("could not tell Slack user {}: {}", c.user(), e.getMessage()));
    return Future.succeededFuture();
  }

  private Future<Void> record(AuditEvent.Builder event, String outcome, String reason) {
    return audit.append(event.outcome(outcome).reason(reason).build()).mapEmpty();
  }
}
