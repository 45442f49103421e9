package dev.stint.finding;

import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;

/**
 * Where a live finding is told (the holder and the profile's approvers in Slack or Teams, with its
 * sentence and a Revoke button): {@code notify} implements it; {@link FindingService#tell}
 * registers it. Delivered from the outbox, at least once, only for a live finding (a dry run is
 * never told), with the finding as it was recorded: {@code tell} must be idempotent ({@code
 * delivery.id()} is stable across attempts).
 */
public interface FindingNews {
  /** Stable across releases: outbox rows name it. */
  String name();

  Future<Void> tell(Finding finding, DurableListener.Delivery delivery);
}
