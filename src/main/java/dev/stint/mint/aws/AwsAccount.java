package dev.stint.mint.aws;

import java.util.regex.Pattern;

/**
 * An AWS account. Its twelve digits name it only within its partition ({@code aws}, {@code aws-cn},
 * {@code aws-us-gov}, …): the same digits in two partitions are two accounts, each with roles of
 * its own under the same names. So accounts are compared, and caches keyed, on both; an account
 * number alone would let a GovCloud role pass for one of stint's own commercial account.
 */
public record AwsAccount(String partition, String id) {
  private static final Pattern ID = Pattern.compile("\\d{12}");
  private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");

  /**
   * @throws IllegalArgumentException for a partition or account number AWS does not write
   */
  public AwsAccount {
    if (partition == null || !PARTITION.matcher(partition).matches()) {
      throw new IllegalArgumentException("not an AWS partition");
    }
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("not an AWS account number");
    }
  }

  /**
   * The account of a role ARN ({@code arn:PARTITION:iam::ACCOUNT:role/NAME}).
   *
   * @throws IllegalArgumentException when it is not an IAM role ARN
   */
  public static AwsAccount ofRole(String roleArn) {
    String[] parts = roleArn.split(":", 6);
    if (parts.length < 6
        || !"arn".equals(parts[0])
        || !"iam".equals(parts[2])
        || !ID.matcher(parts[4]).matches()
        || !parts[5].startsWith("role/")
        || !PARTITION.matcher(parts[1]).matches()) {
      throw new IllegalArgumentException("not an IAM role ARN");
    }
    return new AwsAccount(parts[1], parts[4]);
  }

  /**
   * The account of a caller, from {@code sts:GetCallerIdentity}'s answer: its {@code Account}, in
   * the partition its {@code Arn} names (the answer has no partition of its own).
   *
   * @throws IllegalArgumentException when either is missing or malformed
   */
  static AwsAccount ofCaller(String arn, String account) {
    String[] parts = arn == null ? new String[0] : arn.split(":", 3);
    if (parts.length < 3 || !"arn".equals(parts[0])) {
      throw new IllegalArgumentException("not an ARN");
    }
    return new AwsAccount(parts[1], account);
  }

  /** For logs: {@code PARTITION:ACCOUNT}. */
  @Override
  public String toString() {
    return partition + ":" + id;
  }
}
