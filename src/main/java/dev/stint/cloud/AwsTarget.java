package dev.stint.cloud;

import dev.stint.common.AwsSessionPolicy;
import dev.stint.common.SourceNetworks;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An AWS role, assumed with stint's own AWS identity or with a stint-signed web identity. {@code
 * sessionPolicy} (the inline statements as a compact JSON array) and {@code sessionPolicyArns}
 * narrow the role for this profile; see {@link AwsSessionPolicy}.
 */
public record AwsTarget(
    String roleArn,
    Mode mode,
    Optional<String> region,
    Optional<String> sessionPolicy,
    List<String> sessionPolicyArns)
    implements CloudTarget {
  /** How stint obtains the role's session. */
  public enum Mode {
    /** stint's own AWS identity (the SDK's default chain) calls {@code AssumeRole}. */
    ASSUME_ROLE,
    /** stint signs a JWT as its own OIDC issuer and calls {@code AssumeRoleWithWebIdentity}. */
    WEB_IDENTITY
  }

  public AwsTarget {
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(sessionPolicy, "sessionPolicy");
    sessionPolicyArns = List.copyOf(sessionPolicyArns);
  }

  /** The role as it is, without narrowing. */
  public AwsTarget(String roleArn, Mode mode, Optional<String> region) {
    this(roleArn, mode, region, Optional.empty(), List.of());
  }

  /**
   * The role as IAM tells roles apart: partition, account and the name in any case, without its
   * path (a name is unique in its account whatever its path). Two profiles whose ARNs differ only
   * so name one role.
   */
  public String role() {
    String account = roleArn.substring(0, roleArn.indexOf(":role/"));
    String name = roleArn.substring(roleArn.lastIndexOf('/') + 1);
    StringBuilder lower = new StringBuilder(name.length());
    name.chars().forEach(c -> lower.append((char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c)));
    return account + ":role/" + lower;
  }

  /**
   * What a session's policy holds besides the cap at the grant's end: the profile's narrowing of
   * the role ({@code sessionPolicy}, {@code sessionPolicyArns}) and the networks it is used from.
   */
  public AwsSessionPolicy sessionPolicyFrom(SourceNetworks sources) {
    return new AwsSessionPolicy(sources, sessionPolicy, sessionPolicyArns);
  }

  @Override
  public String cloud() {
    return Cloud.AWS.name();
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.aws(this);
  }

  @Override
  public String describe() {
    return roleArn;
  }
}
