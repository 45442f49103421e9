package dev.stint.ledger;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What revoking a grant ends, and what it cannot, read from the credentials ledger: where the
 * grant's unexpired credentials were minted, not what the policy says today. A revoke always stops
 * new credentials. AWS sessions already issued stop once the deny on each role that holds one is in
 * IAM; Google and Entra access tokens cannot be revoked, so those already issued live until they
 * expire. Pure: the callers read the ledger.
 *
 * @param unexpired the grant's credentials still valid, by cloud and target
 * @param grantEnds the grant's end
 * @param latestExpiry the latest expiry among every credential handed out on the grant
 * @param read false when the ledger could not be read: nothing is known of them
 */
public record RevocationReach(
    List<Ledger.Reach> unexpired, Instant grantEnds, Optional<Instant> latestExpiry, boolean read) {
  public RevocationReach {
    unexpired = List.copyOf(unexpired);
  }

  /** What the ledger holds of the grant's credentials. */
  public RevocationReach(
      List<Ledger.Reach> unexpired, Instant grantEnds, Optional<Instant> latestExpiry) {
    this(unexpired, grantEnds, latestExpiry, true);
  }

  /** The ledger could not be read: the revocation, which reads it again, will tell. */
  public static RevocationReach unknown(Instant grantEnds) {
    return new RevocationReach(List.of(), grantEnds, Optional.empty(), false);
  }

  /** What becomes of the credentials already issued, as the API and the audit name it. */
  public enum Live {
    /** No credential of the grant is still valid: nothing to end at any cloud. */
    NONE,
    /** AWS: sessions work until the revocation deny is in IAM. */
    UNTIL_DENY,
    /** AWS: the deny is in IAM on every role that holds a session of the grant. */
    DENIED,
    /** AWS: the deny could not be written; an admin must act (the outbox keeps it). */
    FAILED,
    /** GCP, Azure: tokens cannot be revoked; each lives until it expires. */
    UNTIL_EXPIRY,
    /** The ledger could not be read when this was answered; the revocation reads it again. */
    UNKNOWN;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The cloud of the credentials still valid (a revocable one first), if any is. */
  public Optional<String> cloud() {
    return unexpired.stream()
        .sorted(
            Comparator.comparing((Ledger.Reach r) -> !r.revocable())
                .thenComparing(Ledger.Reach::cloud))
        .map(Ledger.Reach::cloud)
        .findFirst();
  }

  /**
   * The roles whose deny must name the grant: the targets of its revocable credentials still valid,
   * each once, in order.
   */
  public List<String> roles() {
    return unexpired.stream()
        .filter(Ledger.Reach::revocable)
        .map(Ledger.Reach::target)
        .distinct()
        .sorted()
        .toList();
  }

  /** How many credentials of the grant are still valid. */
  public int credentials() {
    return unexpired.stream().mapToInt(Ledger.Reach::credentials).sum();
  }

  /** What the revoke does to them, before any cloud has been told. */
  public Live live() {
    if (!read) {
      return Live.UNKNOWN;
    }
    if (unexpired.isEmpty()) {
      return Live.NONE;
    }
    return unexpired.stream().anyMatch(Ledger.Reach::revocable)
        ? Live.UNTIL_DENY
        : Live.UNTIL_EXPIRY;
  }

  /** One sentence for people: what the revoke at {@code revokedAt} ends and what it cannot. */
  public String note(Instant revokedAt) {
    return switch (live()) {
      case UNKNOWN ->
          "The credentials issued on this grant could not be read just now: the"
              + " revocation reads them again and ends every AWS session among them (see the"
              + " request for its progress); no new credential will be issued.";
      case NONE ->
          "No credential issued on this grant is still valid"
              + latestExpiry.map(at -> " (the last expired at " + at + ")").orElse("")
              + ": nothing is written to any cloud, and no new credential will be issued.";
      case UNTIL_DENY ->
          credentials()
              + " credential(s) issued on this grant are still valid:"
              + " AWS sessions stop once the deny on their role is in IAM"
              + " (grant.revocation_applied, then IAM's propagation)"
              + tokensToo()
              + latest(revokedAt)
              + ".";
      default ->
          "Google and Entra access tokens cannot be revoked: this revoke stops new"
              + " tokens, and the "
              + credentials()
              + " already issued stay valid until they expire"
              + overrun()
              + latest(revokedAt)
              + ".";
    };
  }

  private String tokensToo() {
    return unexpired.stream().anyMatch(r -> !r.revocable())
        ? "; access tokens of other clouds stay valid until they expire"
        : "";
  }

  private String overrun() {
    return latestExpiry
        .filter(at -> at.isAfter(grantEnds))
        .map(at -> ", after the grant's end " + grantEnds + " (allow_lifetime_overrun)")
        .orElse("");
  }

  private String latest(Instant revokedAt) {
    return latestExpiry
        .filter(at -> at.isAfter(revokedAt))
        .map(at -> "; the last issued expires at " + at)
        .orElse("");
  }
}
