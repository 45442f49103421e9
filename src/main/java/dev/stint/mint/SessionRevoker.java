package dev.stint.mint;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The revoke part of the {@link CloudMinter} contract: how a cloud whose credentials a revoke can
 * end ({@link Receipt#revocable()}) ends them on one target, before they expire. A cloud without
 * one has nothing a revoke can reach beyond stopping new credentials.
 *
 * <p>It acts on what stint recorded, never on today's policy: {@link Records} is the credentials
 * ledger as one target's revocation needs it, kept by the caller, who also serializes the calls for
 * one target across replicas. What is written renders every revoked grant on the target at once, so
 * one call serves every revocation waiting for it. When it cannot be written it fails with a {@link
 * MintException} whose {@code retryable()} says whether trying again soon may help.
 */
public interface SessionRevoker {
  /**
   * Ends at the cloud every session on {@code target} of a revoked grant that may still be alive,
   * as {@code records} holds them; {@code grantId} is the revocation that asked.
   */
  Future<Ended> end(String target, String grantId, Records records);

  /**
   * What became of the target: {@code widened} when the cloud had to end more than was asked of
   * everyone's sessions, {@code collapsed} the people whose own revoked grants were ended together,
   * with that person's other sessions, because they did not fit one by one.
   */
  record Ended(String target, Optional<Widened> widened, List<Collapsed> collapsed) {
    public Ended {
      collapsed = List.copyOf(collapsed);
    }

    public Ended(String target, Optional<Widened> widened) {
      this(target, widened, List.of());
    }
  }

  /**
   * One person's sessions on {@code target} issued before {@code cutoff} are ended until {@code
   * until}, standing for their revoked grants there: {@code cut} are their other live credentials
   * it cut. Nobody else's sessions are touched.
   */
  record Collapsed(String target, String person, Instant cutoff, Instant until, Cut cut) {}

  /**
   * The target's sessions issued before {@code cutoff} are all ended, until {@code until}: the
   * cloud could not name the revoked grants one by one. {@code others} are the live credentials of
   * other grants it cut, {@code chainedKept} whether the grants it covers kept their chained
   * sessions named, {@code why} the cloud's reason, for people.
   */
  record Widened(
      String target, Instant cutoff, Instant until, Cut others, boolean chainedKept, String why) {}

  /**
   * The live credentials a cutoff cut, the grants they were issued on, and the people who hold
   * them.
   */
  record Cut(long credentials, List<String> grants, List<Holder> people) {
    public Cut {
      grants = List.copyOf(grants);
      people = List.copyOf(people);
    }

    public Cut(long credentials, List<String> grants) {
      this(credentials, grants, List.of());
    }
  }

  /** A person (or CI job) credentials were issued to, as (issuer, subject). */
  record Holder(String issuer, String subject) {}

  /**
   * One revoked grant's sessions on a target: they must stay ended while one of them is unexpired
   * ({@code sessionsUntil}), its source identity as long as a session chained from one might live
   * ({@code chainedUntil}). {@code lastIssued} tells whether a cutoff covers it.
   */
  record Revoked(
      String grantId,
      String sourceIdentity,
      Instant sessionsUntil,
      Instant chainedUntil,
      Instant lastIssued) {
    /** Whether its own sessions, not only chained ones, may still be alive at {@code now}. */
    public boolean sessionsAlive(Instant now) {
      return sessionsUntil.isAfter(now);
    }
  }

  /**
   * A target's cutoff: sessions issued before {@code issuedBefore} are ended until {@code until},
   * and ledger credentials issued before {@code coversBefore} need no entry of their own.
   */
  record Cutoff(Instant issuedBefore, Instant until, Instant coversBefore) {
    public Cutoff {
      Objects.requireNonNull(issuedBefore, "issuedBefore");
      Objects.requireNonNull(until, "until");
      Objects.requireNonNull(coversBefore, "coversBefore");
    }
  }

  /**
   * One person's cutoff on a target ({@code person}: what starts their source identities): as a
   * {@link Cutoff}, for that person's sessions alone.
   */
  record PersonCutoff(String person, Cutoff cutoff) {}

  /**
   * One user's sessions of {@code role} that the cloud issued itself, not stint (an IAM Identity
   * Center user's portal sessions of the permission set's provisioned role, named by the cloud's
   * user name): those issued before {@code issuedBefore} are ended until {@code until}, nobody
   * else's, and that user's sessions of no other role.
   */
  record UserCutoff(String role, String user, Instant issuedBefore, Instant until) {
    public UserCutoff {
      Objects.requireNonNull(role, "role");
      if (!nameable(user)) {
        throw new IllegalArgumentException("a user name with no wildcard is needed");
      }
      Objects.requireNonNull(issuedBefore, "issuedBefore");
      Objects.requireNonNull(until, "until");
    }

    /**
     * Whether a deny can name {@code user}'s sessions and no one else's: it matches the name with
     * IAM's wildcards ({@code *}, {@code ?}), and a {@code $} may open a policy variable, so a name
     * holding one would deny others, or not its own.
     */
    public static boolean nameable(String user) {
      return !user.isEmpty() && !user.contains("*") && !user.contains("?") && !user.contains("$");
    }
  }

  /** What stint recorded of a target's revocations: read, and written as the cloud acts. */
  interface Records {
    /**
     * The revoked grants with sessions on {@code target} that may still be alive at {@code now}.
     */
    Future<List<Revoked>> revokedOn(String target, Instant now);

    /**
     * When the last revoked session on {@code target} issued before {@code before}, or one chained
     * from it, can have ended.
     */
    Future<Optional<Instant>> revokedUntil(String target, Instant now, Instant before);

    /**
     * The live credentials on {@code target} issued from {@code from} and before {@code before}, of
     * {@code person} alone when given, recorded as cut at {@code now}: their holders, and clients
     * holding them, can learn a cutoff denies them though their grants stand.
     */
    Future<Cut> cutBetween(
        String target, Optional<String> person, Instant now, Instant from, Instant before);

    /** The cloud holds the end of every revoked session on {@code target} from {@code at}. */
    Future<Void> confirmEnded(String target, Instant at);

    /** The target's cutoff still in force at {@code now}. */
    Future<Optional<Cutoff>> cutoff(String target, Instant now);

    /** Records a cutoff before it is written, so a retry renders the same document. */
    Future<Void> saveCutoff(String target, Cutoff cutoff, String grantId, Instant now);

    /** The target's person cutoffs still in force at {@code now}. */
    Future<List<PersonCutoff>> personCutoffs(String target, Instant now);

    /** Records a person's cutoff before it is written; a later one for them replaces it. */
    Future<Void> savePersonCutoff(String target, PersonCutoff cutoff, String grantId, Instant now);

    /**
     * The user cutoffs recorded on {@code target} (where their deny is written) still in force at
     * {@code now}; none where stint mints alone.
     */
    default Future<List<UserCutoff>> userCutoffs(String target, Instant now) {
      return Future.succeededFuture(List.of());
    }
  }
}
