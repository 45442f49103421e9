package dev.stint.mint.aws;

import dev.stint.common.AwsSessionPolicy;
import dev.stint.mint.MintTarget;
import java.util.Objects;

/** A role to assume, and what the session policy holds besides the hard-end cap. */
public record AwsRoleTarget(AwsRole role, AwsSessionPolicy sessionPolicy) implements MintTarget {
  public AwsRoleTarget {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(sessionPolicy, "sessionPolicy");
  }

  @Override
  public String cloud() {
    return "aws";
  }
}
