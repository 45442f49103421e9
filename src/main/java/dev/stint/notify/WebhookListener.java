package dev.stint.notify;

import dev.stint.access.RequestListener;
import dev.stint.access.RequestListener.Change;
import dev.stint.common.Fingerprints;
import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * One notify target as an outbox listener: the notifications it gets are written with the decision
 * and delivered at least once, retried by the outbox, each target on its own (one receiver being
 * down delays no other).
 */
public final class WebhookListener implements DurableListener<RequestListener.Change> {
  private final WebhookNotifier notifier;
  private final WebhookNotifier.Target target;
  private final Function<String, URI> links;
  private final String name;

  public WebhookListener(
      WebhookNotifier notifier, WebhookNotifier.Target target, Function<String, URI> links) {
    this.notifier = notifier;
    this.target = target;
    this.links = links;
    this.name = name(target);
  }

  /**
   * {@code notify.slack}, or {@code notify.webhook.} and a short hash of the URL: stable while the
   * configuration names the same receiver, and never the URL itself (a Slack or webhook URL may
   * carry a secret, and outbox rows are listed to admins).
   */
  static String name(WebhookNotifier.Target target) {
    return target.slack()
        ? "notify.slack"
        : "notify.webhook."
            + Fingerprints.sha256Hex(target.url().toString().getBytes(StandardCharsets.UTF_8))
                .substring(0, 12);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean wants(Change change) {
    return RequestNotifier.NOTIFIED.contains(change.event());
  }

  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    return notifier.deliver(target, RequestNotifier.notification(change, links), delivery.id());
  }
}
