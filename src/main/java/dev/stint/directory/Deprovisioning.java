package dev.stint.directory;

import dev.stint.identity.Person;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.Optional;

/**
 * What ending a deprovisioned person's access takes, done by the parts that own requests, grants
 * and extensions ({@code access} and {@code extension}, joined in {@code app}): the directory does
 * not know requests, and only hands over the person and the transaction its own record of the work
 * commits in.
 */
public interface Deprovisioning {
  /**
   * The person who left; {@code liftedAt} when the directory has since re-activated them, so that
   * only what they asked for before then ends.
   */
  record Leaver(Person person, String userId, Instant at, Optional<Instant> liftedAt) {}

  /**
   * What was ended, counted, and what to run once the caller's transaction has committed: {@code
   * votesWithdrawn} counts the leaver's approvals of other people's requests and extensions that
   * stopped counting; {@code extensionsEnded} their own pending extensions.
   */
  record Ended(
      int grantsRevoked,
      int requestsCancelled,
      int votesWithdrawn,
      int extensionsEnded,
      Runnable afterCommit) {
    /** Whether anything at all was ended. */
    public boolean any() {
      return grantsRevoked + requestsCancelled + votesWithdrawn + extensionsEnded > 0;
    }
  }

  /**
   * Revokes the leaver's live grants, withdraws their pending requests, ends their pending
   * extensions and withdraws their approvals that still wait, on {@code conn}'s transaction, each
   * change recorded and its side effects written durably there; a change the caller's transaction
   * does not commit never happened. Run again, it ends nothing more.
   */
  Future<Ended> end(SqlConnection conn, Leaver leaver);
}
