package dev.stint.access;

import dev.stint.identity.Person;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Ends what a person holds of requests and grants when they leave (the directory deprovisioned
 * them), lose a profile (an access review) or a finding ends a grant: inside the caller's
 * transaction, the one that records why, so the two commit together or not at all. Each change is a
 * stint decision like any other: locked, recorded with its event and reason, its effects written to
 * the outbox. For deprovisioning and reviews ({@code AccessPortsTest}); {@link RequestLeaving} does
 * it.
 */
public interface Leavers {
  /** What one person's ending changed, counted, and the changes for after the commit. */
  record Ended(
      int grantsRevoked,
      int requestsCancelled,
      int votesWithdrawn,
      List<RequestListener.Change> changes) {
    public Ended {
      changes = List.copyOf(changes);
    }
  }

  /**
   * Why the person's access ends, and who said so: {@code by} ({@code directory} or {@code
   * access_review}) and the record that says it, named in each event as {@code reference}'s key and
   * value (the directory user's id, or the review's).
   */
  record Leaving(String why, String by, String referenceKey, String reference) {
    /** The directory deprovisioned directory user {@code directoryUser}. */
    public Leaving(String why, String directoryUser) {
      this(why, "directory", "directory_user_id", directoryUser);
    }

    /** An access review removed the person's eligibility for a profile. */
    public static Leaving review(String why, String reviewId) {
      return new Leaving(why, "access_review", "review_id", reviewId);
    }

    /** A finding whose action is {@code end} revokes the grant whose key made its call. */
    public static Leaving finding(String why, String findingId) {
      return new Leaving(why, "finding", "finding_id", findingId);
    }
  }

  /**
   * Ends, on {@code conn}'s transaction, what {@code person} asked for and the approvals they gave
   * that still wait (before {@code before}, when given: the directory re-activated them then, and
   * what they asked for or approved since stands).
   */
  Future<Ended> end(SqlConnection conn, Person person, Optional<Instant> before, Leaving leaving);

  /**
   * Revokes, on {@code conn}'s transaction, the grant of request {@code requestId} alone, as stint,
   * with {@code leaving}'s reason: the request locked, the grant revoked exactly as any revoke
   * ({@code grant.revoked}, its deny to the outbox), its leases ended with it. A request not
   * approved, or a grant already ended, is left as it is.
   */
  Future<Ended> revokeGrant(SqlConnection conn, String requestId, Leaving leaving);

  /**
   * Ends, on {@code conn}'s transaction, {@code person}'s live grants and pending requests of
   * {@code profile} (their votes on others' requests stand: a review removes their asking for the
   * profile, not their approving), each with {@code leaving}'s reason.
   */
  Future<Ended> endOn(SqlConnection conn, Person person, String profile, Leaving leaving);

  /** After the caller's commit: the outbox delivers now, and in-process listeners hear. */
  void committed(Ended ended);
}
