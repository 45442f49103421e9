package dev.stint.extension;

import dev.stint.access.Leavers;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The directory's deprovisioning's port to extensions: a leaver's pending extensions ended and
 * their approvals of others' withdrawn, in the deprovisioning's transaction, after {@link Leavers}
 * has revoked their grants in it; told once that transaction has committed.
 */
public interface ExtensionLeavers {
  /** What ending one person's extensions changed, counted, and what to tell after the commit. */
  record Ended(int extensionsEnded, int votesWithdrawn, List<Told> changes) {
    public Ended {
      changes = List.copyOf(changes);
    }
  }

  /** One change to an extension of request {@code requestId}. */
  record Told(ExtensionMachine.Changed changed, String requestId) {}

  /**
   * Ends, on {@code conn}'s transaction, {@code person}'s pending extensions and their approvals of
   * others' (those given before {@code before}, when given); run again, it finds nothing left.
   */
  Future<Ended> end(
      SqlConnection conn, Person person, Optional<Instant> before, Leavers.Leaving leaving);

  /** After the caller's commit: the outbox delivers now, and in-process listeners hear. */
  void committed(Ended ended);
}
