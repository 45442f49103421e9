package dev.stint.notify;

import dev.stint.access.AccessRequest;
import dev.stint.finding.Finding;
import dev.stint.finding.FindingNews;
import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.function.Function;

/**
 * A live finding posted to the Teams channel as a card ({@link TeamsCard#finding}), through the
 * requests' Teams webhook, from the findings' outbox: at least once, every attempt of one finding's
 * delivery carrying the same {@code X-Stint-Delivery}. No Revoke button: a webhook cannot tell
 * stint who clicked, so the card's button opens the page where it is revoked.
 */
public final class TeamsFindingNews implements FindingNews {
  private final TeamsListener teams;
  private final Function<String, Future<Optional<AccessRequest>>> requests;
  private final PageLinks pages;

  public TeamsFindingNews(
      TeamsListener teams,
      Function<String, Future<Optional<AccessRequest>>> requests,
      PageLinks pages) {
    this.teams = teams;
    this.requests = requests;
    this.pages = pages;
  }

  @Override
  public String name() {
    return "notify.teams.finding";
  }

  @Override
  public Future<Void> tell(Finding finding, DurableListener.Delivery delivery) {
    return FindingNotice.of(finding, requests, pages)
        .compose(n -> teams.post(Buffer.buffer(TeamsCard.finding(n)), delivery));
  }
}
