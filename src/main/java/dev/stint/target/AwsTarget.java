package dev.stint.target;

import java.util.List;
import java.util.Optional;

/**
 * An AWS role, assumed with stint's own AWS identity or with a stint-signed web identity. {@code
 * sessionPolicy} (the inline statements as a compact JSON array) and {@code sessionPolicyArns}
 * narrow the role for this profile; see {@link dev.stint.common.AwsSessionPolicy}.
 */
public record AwsTarget(
    String roleArn,
    Mode mode,
    Optional<String> region,
    Optional<String> sessionPolicy,
    List<String> sessionPolicyArns)
    implements CloudTarget {
  public enum Mode {
    ASSUME_ROLE,
    WEB_IDENTITY
  }

  public AwsTarget {
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

  @Override
  public String cloud() {
    return "aws";
  }

  @Override
  public String describe() {
    return roleArn;
  }
}
