package dev.stint.demo;

import dev.stint.standin.S3StandIn;

/**
 * The demo account's S3 buckets, the resources whose calls show a grant working, then revoked, and
 * a narrowed grant refused outside its bucket: what they hold, and the inline policy that lets the
 * demo's roles read both (an administrator's, not stint's: stint only ever adds denies, or narrows
 * a session to less than its role allows).
 */
final class DemoBucket {
  static final String NAME = "stint-demo";

  /**
   * The second bucket: every demo role may read it too, so a grant narrowed to {@link #NAME} is
   * refused here by its session policy alone.
   */
  static final String OTHER = "stint-demo-archive";

  static final String REGION = "us-east-1";

  /** The inline policy on each demo role that allows reading the buckets. */
  static final String POLICY_NAME = "demo-s3-read";

  static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":["
          + "{\"Sid\":\"ListBuckets\",\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\","
          + "\"Resource\":\"*\"},"
          + "{\"Sid\":\"ReadDemoBuckets\",\"Effect\":\"Allow\","
          + "\"Action\":[\"s3:ListBucket\",\"s3:GetObject\"],"
          + "\"Resource\":["
          + resources(NAME)
          + ","
          + resources(OTHER)
          + "]}]}";

  private DemoBucket() {}

  /** Creates the buckets in {@code s3}, each with a note and a small report. */
  static void fill(S3StandIn s3) {
    s3.bucket(NAME, REGION)
        .object(
            NAME,
            "hello.txt",
            "Read with a stint grant. Revoke it, and the same keys are refused.\n",
            "text/plain")
        .object(NAME, "reports/on-call.csv", "week,pages\n48,3\n", "text/csv");
    s3.bucket(OTHER, REGION)
        .object(
            OTHER,
            "README.txt",
            "Every demo role may read this bucket; a grant narrowed to " + NAME + " may not.\n",
            "text/plain")
        .object(OTHER, "reports/2025.csv", "year,pages\n2025,131\n", "text/csv");
  }

  /** The walkthrough's AWS CLI line listing the bucket with {@code profile}'s credentials. */
  static String list(S3StandIn s3, String profile) {
    return "AWS_PROFILE=" + profile + " " + listWithKeysInEnvironment(s3);
  }

  /** The same listing with whatever credentials the environment holds. */
  static String listWithKeysInEnvironment(S3StandIn s3) {
    return listing(s3, NAME, "");
  }

  /**
   * The listing of {@code bucket} through the AWS profile {@code awsProfile}, given with {@code
   * --profile}: unlike {@code AWS_PROFILE}, it wins over keys a step before kept in the shell.
   */
  static String listAs(S3StandIn s3, String bucket, String awsProfile) {
    return listing(s3, bucket, " --profile " + awsProfile);
  }

  private static String listing(S3StandIn s3, String bucket, String options) {
    return "aws s3 ls s3://"
        + bucket
        + options
        + " --region "
        + REGION
        + " --endpoint-url "
        + s3.uri();
  }

  private static String resources(String bucket) {
    return "\"arn:aws:s3:::" + bucket + "\",\"arn:aws:s3:::" + bucket + "/*\"";
  }
}
