package dev.stint.finding;

import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;

/**
 * One notice receiver on the findings' outbox: it wants a live finding only, so a dry run's row is
 * never written for it and nobody is told of one.
 */
final class NewsListener implements DurableListener<FindingChange> {
  private final FindingNews news;

  NewsListener(FindingNews news) {
    this.news = news;
  }

  @Override
  public String name() {
    return news.name();
  }

  @Override
  public boolean wants(FindingChange change) {
    return change.finding().live();
  }

  @Override
  public Future<Void> deliver(FindingChange change, Delivery delivery) {
    return news.tell(change.finding(), delivery);
  }
}
