package dev.stint.policy;

import java.util.Optional;

/** An AWS role, assumed with stint's own AWS identity or with a stint-signed web identity. */
public record AwsTarget(String roleArn, Mode mode, Optional<String> region) implements CloudTarget {
  public enum Mode { ASSUME_ROLE, WEB_IDENTITY }

  @Override
  public String cloud() {
    return "aws";
  }

  @Override
  public String describe() {
    return roleArn;
  }
}
