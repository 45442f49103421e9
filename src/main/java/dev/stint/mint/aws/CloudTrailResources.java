package dev.stint.mint.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resource a CloudTrail record's call acted on, as an IAM resource pattern, where the record's
 * request parameters name it: an S3 bucket ({@code arn:aws:s3:::bucket}), or the bucket's objects
 * under the key's first segment ({@code arn:aws:s3:::bucket/reports/*}, else {@code
 * arn:aws:s3:::bucket/*}); a DynamoDB table; a Lambda function (without its version or alias).
 * Empty for any other call, or when a name is not of the shape its service allows: a name holding
 * IAM's wildcards must never widen what a policy built from it allows. Pure.
 */
final class CloudTrailResources {
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9!_.'()=+,;@&$ -]{1,200}");
  private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
  private static final Pattern TABLE_ARN =
      Pattern.compile("arn:[a-z-]+:dynamodb:[a-z0-9-]+:\\d{12}:table/([A-Za-z0-9_.-]{3,255})");
  private static final Pattern FUNCTION =
      Pattern.compile(
          "(?:arn:[a-z-]+:lambda:[a-z0-9-]+:\\d{12}:function:|\\d{12}:function:)?"
              + "([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]{1,128})?");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-\\d");

  private CloudTrailResources() {}

  /** The resource {@code record}'s call acted on, if its parameters name it in a known shape. */
  static Optional<String> of(JsonNode record) {
    String source = record.path("eventSource").asText("");
    JsonNode request = record.path("requestParameters");
    String region = record.path("awsRegion").asText("");
    return switch (source) {
      case "s3.amazonaws.com" -> s3(request, partition(region));
      case "dynamodb.amazonaws.com" ->
          place(record, region)
              .flatMap(at -> table(request).map(t -> at.arn("dynamodb", "table/" + t)));
      case "lambda.amazonaws.com" ->
          place(record, region)
              .flatMap(at -> function(request).map(f -> at.arn("lambda", "function:" + f)));
      default -> Optional.empty();
    };
  }

  private static Optional<String> s3(JsonNode request, String partition) {
    Optional<String> bucket =
        text(request.path("bucketName")).filter(b -> BUCKET.matcher(b).matches());
    if (bucket.isEmpty()) {
      return Optional.empty();
    }
    String arn = "arn:" + partition + ":s3:::" + bucket.get();
    Optional<String> key = text(request.path("key"));
    if (key.isEmpty()) {
      return Optional.of(arn);
    }
    int slash = key.get().indexOf('/');
    String segment = slash < 0 ? "" : key.get().substring(0, slash);
    return Optional.of(
        SEGMENT.matcher(segment).matches() ? arn + "/" + segment + "/*" : arn + "/*");
  }

  /** Where a regional resource lives: its ARN's partition, region and account. */
  private record Place(String partition, String region, String account) {
    String arn(String service, String resource) {
      return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
    }
  }

  /** The record's region and account (the one whose log holds it, the resource's owner). */
  private static Optional<Place> place(JsonNode record, String region) {
    String account = record.path("recipientAccountId").asText("");
    if (!ACCOUNT.matcher(account).matches() || !REGION.matcher(region).matches()) {
      return Optional.empty();
    }
    return Optional.of(new Place(partition(region), region, account));
  }

  private static Optional<String> table(JsonNode request) {
    return text(request.path("tableName")).flatMap(CloudTrailResources::tableName);
  }

  private static Optional<String> tableName(String given) {
    Matcher arn = TABLE_ARN.matcher(given);
    if (arn.matches()) {
      return Optional.of(arn.group(1));
    }
    return TABLE.matcher(given).matches() ? Optional.of(given) : Optional.empty();
  }

  private static Optional<String> function(JsonNode request) {
    return text(request.path("functionName"))
        .map(FUNCTION::matcher)
        .filter(Matcher::matches)
        .map(m -> m.group(1));
  }

  private static Optional<String> text(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty() ? Optional.of(n.asText()) : Optional.empty();
  }

  /** The partition of a region's ARNs: China's and GovCloud's regions are their own. */
  static String partition(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }
}
