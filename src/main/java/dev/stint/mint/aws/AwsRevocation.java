package dev.stint.mint.aws;

import java.time.Instant;
import java.util.Objects;

/**
 * One AWS grant revoked at {@code revokedAt}: every session of {@code sourceIdentity} (as minted,
 * see {@link SessionNames}) on the role that was issued before then must stop working.
 */
public record AwsRevocation(String roleArn, String sourceIdentity, String grantId, Instant revokedAt) {
  public AwsRevocation {
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(sourceIdentity, "sourceIdentity");
    Objects.requireNonNull(grantId, "grantId");
    Objects.requireNonNull(revokedAt, "revokedAt");
  }

  /** The revocation of a grant held by {@code person}, keyed on the source identity minted for them. */
  public static AwsRevocation forPerson(String roleArn, String person, String grantId, Instant revokedAt) {
    return new AwsRevocation(roleArn, SessionNames.of(person), grantId, revokedAt);
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
