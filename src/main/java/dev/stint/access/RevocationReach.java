package dev.stint.access;

import dev.stint.policy.AzureTarget;
import dev.stint.policy.Profile;
import java.time.Instant;
import java.util.Optional;

/**
 * What revoking a grant ends, and what it cannot, for the cloud of the grant's profile. A revoke
 * always stops new credentials. AWS sessions already issued stop once the deny on the role is in
 * IAM; Google and Entra access tokens cannot be revoked, so those already issued live until they
 * expire: at most the grant's end (stint caps them there), except an Entra token under
 * {@code allow_lifetime_overrun}. Pure: the callers read the policy and the audit.
 *
 * @param cloud the profile's cloud; empty when the profile has left the policy
 * @param mayOutliveGrant an Entra profile with {@code allow_lifetime_overrun}
 * @param grantEnds the grant's end, the bound on every other token
 * @param latestExpiry the latest expiry the audit records among credentials issued on the grant
 */
public record RevocationReach(Optional<String> cloud, boolean mayOutliveGrant, Instant grantEnds,
    Optional<Instant> latestExpiry) {

  /** What happens to the credentials already issued, as the API and the audit name it. */
  public enum Live {
    /** AWS: until the revocation deny is in IAM. */
    UNTIL_DENY,
    /** GCP, Azure: until each token expires. */
    UNTIL_EXPIRY,
    /** The profile has left the policy, so its cloud is not known. */
    UNKNOWN;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The reach of revoking {@code grant} of {@code profile} (empty: no longer in the policy). */
  static RevocationReach of(Optional<Profile> profile, Grant grant) {
    boolean overrun = profile.map(p -> p.target() instanceof AzureTarget azure
        && azure.allowLifetimeOverrun()).orElse(false);
    return new RevocationReach(profile.map(p -> p.target().cloud()), overrun, grant.endsAt(),
        Optional.empty());
  }

  /** The same, with the latest expiry the audit records. */
  RevocationReach withLatestExpiry(Optional<Instant> latest) {
    return new RevocationReach(cloud, mayOutliveGrant, grantEnds, latest);
  }

  public Live live() {
    return cloud.map(c -> c.equals("aws") ? Live.UNTIL_DENY : Live.UNTIL_EXPIRY)
        .orElse(Live.UNKNOWN);
  }

  /** One sentence for people: what the revoke at {@code revokedAt} ends and what it cannot. */
  public String note(Instant revokedAt) {
    return switch (live()) {
      case UNTIL_DENY -> "AWS sessions already issued on this grant stop once the deny on the"
          + " role is in IAM (grant.revocation_applied, then IAM's propagation)" + latest(revokedAt)
          + ".";
      case UNTIL_EXPIRY -> (cloud.get().equals("gcp") ? "Google" : "Entra") + " access tokens"
          + " cannot be revoked: this revoke stops new tokens, and tokens already issued stay"
          + " valid until they expire" + bound(revokedAt) + ".";
      case UNKNOWN -> "The profile is no longer in the policy: this revoke stops new"
          + " credentials; credentials already issued live until they expire (AWS sessions"
          + " until a deny on the role is in IAM)" + latest(revokedAt) + ".";
    };
  }

  private String bound(Instant revokedAt) {
    if (latestExpiry.isPresent()) {
      return latest(revokedAt);
    }
    return mayOutliveGrant ? ", possibly after the grant's end " + grantEnds
        + " (allow_lifetime_overrun)" : ", at the latest at the grant's end " + grantEnds;
  }

  private String latest(Instant revokedAt) {
    return latestExpiry.map(at -> at.isAfter(revokedAt)
        ? "; the last issued expires at " + at
        : "; none issued on it is still valid (the last expired at " + at + ")").orElse("");
  }
}
