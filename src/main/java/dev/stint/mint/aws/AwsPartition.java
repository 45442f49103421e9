package dev.stint.mint.aws;

import java.util.Optional;

/**
 * The AWS partitions with a public console, each with its own sign-in (federation) and console
 * hosts: a session from one partition cannot sign in to another's console. The partition is read
 * from the role ARN ({@code arn:PARTITION:iam::ACCOUNT:role/NAME}).
 */
public enum AwsPartition {
  AWS("aws", "signin.aws.amazon.com", "console.aws.amazon.com", ""),
  US_GOV("aws-us-gov", "signin.amazonaws-us-gov.com", "console.amazonaws-us-gov.com", "us-gov-"),
  CHINA("aws-cn", "signin.amazonaws.cn", "console.amazonaws.cn", "cn-");

  private final String id;
  private final String signinHost;
  private final String consoleHost;
  private final String regionPrefix;

  AwsPartition(String id, String signinHost, String consoleHost, String regionPrefix) {
    this.id = id;
    this.signinHost = signinHost;
    this.consoleHost = consoleHost;
    this.regionPrefix = regionPrefix;
  }

  /** The partition of an ARN; empty for a malformed ARN or a partition without a public console. */
  public static Optional<AwsPartition> ofArn(String arn) {
    String[] parts = arn.split(":", 3);
    if (parts.length < 3 || !"arn".equals(parts[0])) {
      return Optional.empty();
    }
    for (AwsPartition partition : values()) {
      if (partition.id.equals(parts[1])) {
        return Optional.of(partition);
      }
    }
    return Optional.empty();
  }

  /** The name AWS gives it in ARNs. */
  public String id() {
    return id;
  }

  public String signinHost() {
    return signinHost;
  }

  public String consoleHost() {
    return consoleHost;
  }

  /**
   * Whether a region belongs here: the commercial partition holds every region the others don't.
   */
  public boolean holds(String region) {
    if (!regionPrefix.isEmpty()) {
      return region.startsWith(regionPrefix);
    }
    return !region.startsWith(US_GOV.regionPrefix) && !region.startsWith(CHINA.regionPrefix);
  }
}
