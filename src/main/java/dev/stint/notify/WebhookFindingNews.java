package dev.stint.notify;

import dev.stint.access.AccessRequest;
import dev.stint.finding.Finding;
import dev.stint.finding.FindingNews;
import dev.stint.notify.slack.SlackText;
import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Function;

/**
 * A live finding told to one Slack incoming webhook (one line) or generic webhook (the signed JSON
 * body of {@link FindingNotice#body}, event {@code finding.raised}), from the findings' outbox, at
 * least once: every attempt of one finding's delivery to one receiver carries the same {@code
 * X-Stint-Delivery}, for receivers that deduplicate.
 */
public final class WebhookFindingNews implements FindingNews {
  private final WebhookNotifier notifier;
  private final WebhookNotifier.Target target;
  private final Function<String, Future<Optional<AccessRequest>>> requests;
  private final PageLinks pages;

  /** {@code requests}: a request read without a caller, for the holder's name and the reason. */
  public WebhookFindingNews(
      WebhookNotifier notifier,
      WebhookNotifier.Target target,
      Function<String, Future<Optional<AccessRequest>>> requests,
      PageLinks pages) {
    this.notifier = notifier;
    this.target = target;
    this.requests = requests;
    this.pages = pages;
  }

  /** The receiver's requests' listener name and {@code .finding}: never the URL itself. */
  @Override
  public String name() {
    return WebhookListener.name(target) + ".finding";
  }

  @Override
  public Future<Void> tell(Finding finding, DurableListener.Delivery delivery) {
    return FindingNotice.of(finding, requests, pages)
        .compose(
            n ->
                notifier.alarm(
                    target,
                    n.body(),
                    n.line(SlackText::escape) + " " + SlackText.link(n.link(), "Open in stint"),
                    delivery.id()));
  }
}
