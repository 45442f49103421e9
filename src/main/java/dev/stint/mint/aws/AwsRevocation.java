package dev.stint.mint.aws;

import java.time.Instant;
import java.util.Objects;

/**
 * One AWS grant revoked at {@code revokedAt}: every session of the grant on the role must stop
 * working. Sessions are recognised by their {@code stint:grant} tag ({@link #tagValue}) and, once
 * chained, by their per-grant {@code sourceIdentity} ({@link SourceIdentities}). No session of
 * the grant was minted to outlive {@code grantEndsAt} by more than STS's minimum, which bounds how
 * long the deny must stay.
 */
public record AwsRevocation(String roleArn, String sourceIdentity, String grantId, Instant revokedAt,
    Instant grantEndsAt) {
  public AwsRevocation {
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(sourceIdentity, "sourceIdentity");
    Objects.requireNonNull(grantId, "grantId");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(grantEndsAt, "grantEndsAt");
  }

  /** A revocation whose grant's end is not known: its sessions may live as long as STS allows. */
  public AwsRevocation(String roleArn, String sourceIdentity, String grantId, Instant revokedAt) {
    this(roleArn, sourceIdentity, grantId, revokedAt, revokedAt.plus(RevocationPolicy.MAX_SESSION));
  }

  /** The revocation of a grant held by the person (issuer, subject), ending at grantEndsAt. */
  public static AwsRevocation forHolder(String roleArn, String issuer, String subject,
      String grantId, Instant revokedAt, Instant grantEndsAt) {
    return new AwsRevocation(roleArn, SourceIdentities.of(issuer, subject, grantId), grantId,
        revokedAt, grantEndsAt);
  }

  /** The {@code stint:grant} tag value sessions of this grant were minted with. */
  public String tagValue() {
    return TagValues.of(grantId);
  }

  /** The role's name: the part of the ARN after the last {@code /} (roles may have paths). */
  public String roleName() {
    int colon = roleArn.indexOf(":role/");
    if (!roleArn.startsWith("arn:") || colon < 0 || roleArn.endsWith("/")) {
      throw new IllegalArgumentException("not an IAM role ARN");
    }
    return roleArn.substring(roleArn.lastIndexOf('/') + 1);
  }
}
