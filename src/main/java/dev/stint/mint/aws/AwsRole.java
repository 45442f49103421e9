package dev.stint.mint.aws;

import java.util.Objects;
import java.util.Optional;

/**
 * The role a profile maps to. {@code region} picks the regional STS endpoint for this role's calls
 * (ignored when {@code aws.sts_endpoint} overrides the endpoint).
 */
public record AwsRole(String roleArn, Mode mode, Optional<String> region) {
  /** How stint obtains the role's session. */
  public enum Mode {
    /** stint's own AWS identity (the SDK's default chain) calls {@code AssumeRole}. */
    ASSUME_ROLE,
    /** stint signs a JWT as its own OIDC issuer and calls {@code AssumeRoleWithWebIdentity}. */
    WEB_IDENTITY
  }

  public AwsRole {
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(region, "region");
  }
}
