package dev.stint.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.util.Optional;

/**
 * A listener whose work must survive a restart: what it wants of a change is written to the outbox
 * in the change's own transaction, and delivered at least once afterwards, by whichever replica
 * claims it, retried with backoff until it succeeds or the outbox gives up ({@link #mayGiveUp}).
 * Delivery may therefore repeat: {@link #deliver} must be idempotent, and {@code delivery.id()} is
 * stable across attempts for receivers that deduplicate.
 */
public interface DurableListener<C extends Committed> {
  /** Stable across releases: outbox rows name the listener that delivers them. */
  String name();

  /** Whether this change is work for this listener (decided at commit, on the change alone). */
  boolean wants(C change);

  /**
   * Called on {@code conn}, inside the change's own transaction, for a change this listener wants:
   * records what the delivery must act on, as it is when the change commits (never read again from
   * configuration that may change before delivery), and answers whether there is work to deliver;
   * false writes no outbox row. A failure fails the change's transaction.
   */
  default Future<Boolean> record(SqlClient conn, C change) {
    return Future.succeededFuture(true);
  }

  /** Does the work; a failed future is retried later. */
  Future<Void> deliver(C change, Delivery delivery);

  /**
   * When the delivery may first run, for work that belongs to a later time than its change (an
   * assignment made at its grant's scheduled start): the outbox holds the row until then, and
   * counts its patience ({@code outbox.give_up_after}) from then, so work scheduled further ahead
   * than that is neither tried early nor given up on before its time. Empty (or a time before the
   * change): at once. Decided at commit, on the change alone.
   */
  default Optional<Instant> notBefore(C change) {
    return Optional.empty();
  }

  /**
   * Deliveries that name the same turn take turns across every replica, for receivers that cannot
   * take concurrent writes (IAM has no conditional write: two replicas merging denies into one
   * role's policy at once would lose one). Empty: no turns.
   */
  default Optional<String> turn(C change) {
    return Optional.empty();
  }

  /**
   * Whether the outbox may give up on this change's row once {@code outbox.give_up_after} has
   * passed (the row is then dead until an admin retries it). False for work that must happen
   * however long it takes (an assignment's deletion at its grant's end: given up, the person would
   * keep the access): past its patience such a row is retried at the longest backoff for as long as
   * it takes. Decided on the change alone.
   */
  default boolean mayGiveUp(C change) {
    return true;
  }

  /**
   * Told of each failed attempt; {@code last} once the outbox's patience ({@code
   * outbox.give_up_after}) has run out: the row is dead, or, for a row the outbox may not give up
   * on ({@link #mayGiveUp}), retried on, and told so at each later failure.
   */
  default Future<Void> failed(C change, Delivery delivery, String why, boolean last) {
    return Future.succeededFuture();
  }

  /**
   * Whether the listener records its own audit events for deliveries and failures (as AWS
   * revocation does); otherwise the outbox records {@code outbox.delivered} and {@code outbox.dead}
   * for it.
   */
  default boolean audits() {
    return false;
  }

  /** One delivery of one outbox row: its id, and which attempt this is (from 1). */
  record Delivery(long id, int attempt) {}
}
