package dev.stint.finding.rules;

import java.util.Objects;
import java.util.Optional;

/**
 * Whose key made a call, as the credentials ledger recorded it: the credential, the request and
 * grant it was issued on, the task lease when a lease's token minted it, its holder (issuer,
 * subject) and the profile.
 */
public record Origin(
    String credentialId,
    String requestId,
    String grantId,
    Optional<String> leaseId,
    Holder holder,
    String profile) {

  /** A person, as (issuer, subject). */
  public record Holder(String issuer, String subject) {
    public Holder {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(subject, "subject");
    }
  }

  public Origin {
    Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(grantId, "grantId");
    Objects.requireNonNull(leaseId, "leaseId");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(profile, "profile");
  }

  /**
   * What a burst is counted over: the lease's credentials together, or the grant's own: a finding
   * then ends the one that made the calls.
   */
  public String scope() {
    return leaseId.orElse(grantId);
  }
}
