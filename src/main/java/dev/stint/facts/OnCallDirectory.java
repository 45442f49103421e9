package dev.stint.facts;

import io.vertx.core.Future;
import java.util.Set;

/** Who is on call now, by schedule (PagerDuty). */
public interface OnCallDirectory {
  /**
   * The email addresses, lower-cased, of everyone on call now in {@code scheduleId}, at any
   * escalation level. Fails (with a message that never holds the token) when the lookup fails, is
   * refused, is throttled or takes longer than its timeout; an unknown schedule fails too.
   */
  Future<Set<String>> onCall(String scheduleId);
}
