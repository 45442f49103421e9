package dev.stint.revocation;

import dev.stint.audit.AuditLog;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a revocation reports: its audit events, the time from revoke to deny, the alarm when a
 * revocation cannot be written, and the holders of sessions a widened deny cut.
 */
public record Reporting(
    AuditLog audit, Consumer<Duration> revokeToDeny, Alarm alarm, SessionsCut cut) {

  /** What operators must hear of at once. */
  public interface Alarm {
    /** Raised once when a revocation is found unwritable (the outbox keeps trying). */
    void revocationFailed(String grantId, String requestId, String why);

    /**
     * A target's end (AWS: a role's deny) had to become a cutoff, cutting {@code others} people's
     * sessions: rare by design, so a run of them on one target may be someone filling it on
     * purpose.
     */
    void revocationWidened(String grantId, String target, long others);
  }

  /** Tells the holders of {@code grantIds} that their sessions on {@code target} were cut. */
  @FunctionalInterface
  public interface SessionsCut {
    Future<Void> tell(List<String> grantIds, String target);
  }
}
