package dev.stint.access;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * The rounds the server's timers run ({@code app}): each takes its rows with {@code SKIP LOCKED},
 * so every replica may run them at once and share the work.
 */
public interface Sweeps {
  /**
   * Times out stale pending requests, expires ended grants, reminds holders, records escalations
   * and reminds approvers, one row per transaction. Answers how many requests changed or were
   * marked.
   */
  Future<Integer> sweep();

  /**
   * One round of {@code end_when}: each live grant of a profile that has one, not checked within
   * {@code recheck}, is checked by this replica alone and revoked by stint when it holds. Answers
   * how many grants it ended.
   */
  Future<Integer> recheckEnds(Duration recheck);
}
