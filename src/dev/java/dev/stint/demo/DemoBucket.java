package dev.stint.demo;

import dev.stint.standin.S3StandIn;

/**
 * The demo account's S3 bucket, the resource whose calls show a grant working and then revoked:
 * what it holds, and the inline policy that lets the demo's roles read it (an administrator's, not
 * stint's: stint only ever adds denies).
 */
final class DemoBucket {
  static final String NAME = "stint-demo";
  static final String REGION = "us-east-1";

  /** The inline policy on each demo role that allows reading the bucket. */
  static final String POLICY_NAME = "demo-bucket-read";

  static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":["
          + "{\"Sid\":\"ListBuckets\",\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\","
          + "\"Resource\":\"*\"},"
          + "{\"Sid\":\"ReadDemoBucket\",\"Effect\":\"Allow\","
          + "\"Action\":[\"s3:ListBucket\",\"s3:GetObject\"],"
          + "\"Resource\":[\"arn:aws:s3:::"
          + NAME
          + "\",\"arn:aws:s3:::"
          + NAME
          + "/*\"]}]}";

  private DemoBucket() {}

  /** Creates the bucket in {@code s3} with a note and a small report. */
  static void fill(S3StandIn s3) {
    s3.bucket(NAME, REGION)
        .object(
            NAME,
            "hello.txt",
            "Read with a stint grant. Revoke it, and the same keys are refused.\n",
            "text/plain")
        .object(NAME, "reports/on-call.csv", "week,pages\n48,3\n", "text/csv");
  }

  /** The walkthrough's AWS CLI line listing the bucket with {@code profile}'s credentials. */
  static String list(DemoStack stack, String profile) {
    return "AWS_PROFILE=" + profile + " " + listWithKeysInEnvironment(stack);
  }

  /** The same listing with whatever credentials the environment holds. */
  static String listWithKeysInEnvironment(DemoStack stack) {
    return "aws s3 ls s3://" + NAME + " --region " + REGION + " --endpoint-url " + stack.s3().uri();
  }
}
