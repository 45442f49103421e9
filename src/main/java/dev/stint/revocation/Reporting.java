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
public record Reporting(AuditLog audit, Consumer<Duration> revokeToDeny, Alarm alarm,
    SessionsCut cut) {

  /** Raised once when a revocation is found unwritable (the outbox keeps trying). */
  @FunctionalInterface
  public interface Alarm {
    void revocationFailed(String grantId, String requestId, String why);
  }

  /** Tells the holders of {@code grantIds} that their sessions on {@code role} were cut. */
  @FunctionalInterface
  public interface SessionsCut {
    Future<Void> tell(List<String> grantIds, String role);
  }
}
