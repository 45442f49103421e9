package dev.stint.notify;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Bundles;
import dev.stint.access.RequestListener;
import dev.stint.access.RequestListener.Change;
import dev.stint.config.StintConfig;
import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Posts a card to a Microsoft Teams workflow webhook, through the outbox, when a request starts
 * waiting for approval and when it is decided (approved, denied, cancelled, timed out). A webhook
 * cannot edit what it posted, so each of these is a card of its own; votes short of a decision are
 * not posted, to keep the channel readable. An extension asked for and its decision get a card each
 * too (an extension approved at once gets both), and so does a grant whose IAM Identity Center
 * assignment failed.
 *
 * <p>Each card renders the request as the change left it, so a retried delivery posts the same
 * card, with the same {@code X-Stint-Delivery}. A non-2xx answer (a 5xx, or 429 when Teams
 * throttles) fails the attempt and the outbox tries again later. The webhook URL is a secret:
 * failures name only its host.
 */
public final class TeamsListener implements DurableListener<RequestListener.Change>, AutoCloseable {
  static final Set<String> DECIDED =
      Set.of("request.approved", "request.denied", "request.cancelled", "request.timed_out");

  /** An extension asked for, and its decision: one card each, as for requests. */
  static final Set<String> EXTENSIONS =
      Set.of(
          "grant.extension_requested",
          "grant.extended",
          "grant.extension_denied",
          "grant.extension_cancelled");

  /** A grant's IAM Identity Center assignment that failed, its comment saying why. */
  static final String ASSIGNMENT_FAILED = "assignment.failed";

  private final WebClient client;
  private final StintConfig.TeamsWebhook webhook;
  private Function<String, Future<Optional<Bundles.Ref>>> bundles =
      id -> Future.succeededFuture(Optional.empty());
  private final Function<String, URI> links;
  private final Duration timeout;

  public TeamsListener(
      Vertx vertx,
      StintConfig.TeamsWebhook webhook,
      Function<String, URI> links,
      Duration timeout) {
    // A redirect would send the card (and Teams' answer) somewhere the configuration never named.
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    this.webhook = webhook;
    this.links = links;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "notify.teams";
  }

  /** A request that waits for approvers (not an auto-approved or break-glass one), and its end. */
  @Override
  public boolean wants(Change change) {
    return "request.created".equals(change.event())
        ? change.request().state() == RequestState.PENDING
        : DECIDED.contains(change.event())
            || (EXTENSIONS.contains(change.event()) && change.comment().isPresent())
            || ASSIGNMENT_FAILED.equals(change.event());
  }

  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    var r = change.request();
    if (ASSIGNMENT_FAILED.equals(change.event())) {
      String why = change.comment().orElse("no reason recorded");
      return post(Buffer.buffer(TeamsCard.assignmentFailed(r, why, links.apply(r.id()))), delivery);
    }
    if (EXTENSIONS.contains(change.event())) {
      return post(
          Buffer.buffer(
              TeamsCard.extension(
                  change.event(), r, change.comment().orElse(""), links.apply(r.id()))),
          delivery);
    }
    // A bundle is one card, its first request's: the others' starts are the same decision.
    return bundles
        .apply(r.id())
        .compose(
            bundle ->
                bundle.isPresent() && !bundle.get().first().equals(r.id())
                    ? Future.succeededFuture()
                    : post(
                        Buffer.buffer(TeamsCard.render(r, links.apply(r.id()), bundle)), delivery));
  }

  /** Shows a bundle as one card (see {@link #deliver}). */
  public TeamsListener bundledBy(Function<String, Future<Optional<Bundles.Ref>>> lookup) {
    this.bundles = lookup;
    return this;
  }

  /** One attempt at posting {@code body}; fails unless Teams answers 2xx. */
  Future<Void> post(Buffer body, Delivery delivery) {
    return client
        .postAbs(webhook.url().toString())
        .timeout(timeout.toMillis())
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", "stint-notify")
        .putHeader(WebhookNotifier.DELIVERY_HEADER, Long.toString(delivery.id()))
        .sendBuffer(body)
        .compose(
            answer ->
                answer.statusCode() / 100 == 2
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(
                        new IllegalStateException(
                            "teams "
                                + webhook.redacted()
                                + " answered HTTP "
                                + answer.statusCode())),
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        "teams "
                            + webhook.redacted()
                            + " unreachable: "
                            + e.getClass().getSimpleName())));
  }

  @Override
  public void close() {
    client.close();
  }
}
