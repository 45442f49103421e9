package dev.stint.mint.aws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.mint.ActivityLookup;
import dev.stint.mint.ActivityLookup.Call;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CloudTrail's event records read as calls: the record a lookup quotes, or one EventBridge delivers
 * (its {@code detail}). Pure: no SDK, no I/O.
 */
public final class CloudTrailRecords {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** CloudTrail's event ids are UUIDs: letters, digits and dashes, never long. */
  private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  /** Longer than any service, operation, region, address, error or key CloudTrail writes. */
  static final int MAX_FIELD = 256;

  private CloudTrailRecords() {}

  /**
   * The call in one event as EventBridge delivers it; empty when the body is not JSON, has no
   * {@code detail} object, or the record lacks its {@code eventID}, {@code eventTime}, {@code
   * eventSource}, {@code eventName} or {@code awsRegion}: nothing can be kept without them. Empty
   * too when the id is not CloudTrail's shape or a field is longer than CloudTrail ever writes:
   * what is kept must fit the tables and the activity pages' cursors.
   */
  public static Optional<Call> delivered(byte[] body) {
    JsonNode envelope;
    try {
      envelope = JSON.readTree(body);
    } catch (IOException e) {
      return Optional.empty();
    }
    JsonNode record = envelope == null ? null : envelope.get("detail");
    if (record == null || !record.isObject()) {
      return Optional.empty();
    }
    Optional<String> id = text(record.path("eventID"));
    Optional<Instant> time = text(record.path("eventTime")).flatMap(CloudTrailRecords::instant);
    Optional<String> source = text(record.path("eventSource"));
    Optional<String> name = text(record.path("eventName"));
    Optional<String> region = text(record.path("awsRegion"));
    if (id.isEmpty() || time.isEmpty() || source.isEmpty() || name.isEmpty() || region.isEmpty()) {
      return Optional.empty();
    }
    Call call =
        call(
            record,
            new Summary(
                id.get(),
                time.get(),
                source.get(),
                name.get(),
                region.get(),
                text(record.path("userIdentity").path("accessKeyId"))));
    return EVENT_ID.matcher(call.id()).matches() && fits(call)
        ? Optional.of(call)
        : Optional.empty();
  }

  private static boolean fits(Call c) {
    return Stream.of(
            Optional.of(c.source()),
            Optional.of(c.name()),
            Optional.of(c.region()),
            c.sourceIp(),
            c.errorCode(),
            c.accessKeyId(),
            c.assumedRole(),
            c.sourceIdentity(),
            c.callerArn(),
            c.mintedKey(),
            c.federatedUser(),
            c.account(),
            c.parameters().namedRole(),
            c.parameters().resource())
        .flatMap(Optional::stream)
        .allMatch(v -> v.length() <= MAX_FIELD);
  }

  /** What a lookup's summary gives beside the record, and which it gives first. */
  record Summary(
      String id,
      Instant time,
      String source,
      String name,
      String region,
      Optional<String> accessKeyId) {}

  /** The call {@code record} describes, with what {@code s} gives ahead of it. */
  static Call call(JsonNode record, Summary s) {
    JsonNode identity = record.path("userIdentity");
    return new Call(
        s.id(),
        s.time(),
        s.source(),
        s.name(),
        s.region(),
        text(record.path("sourceIPAddress")),
        text(record.path("errorCode")),
        s.accessKeyId().or(() -> text(identity.path("accessKeyId"))),
        text(record.path("requestParameters").path("roleArn")),
        text(record.path("requestParameters").path("sourceIdentity"))
            .or(() -> callerSourceIdentity(identity)),
        text(identity.path("arn")),
        callerSourceIdentity(identity),
        text(record.path("responseElements").path("credentials").path("accessKeyId")),
        federatedUser(identity),
        text(record.path("recipientAccountId")),
        dataEvent(record),
        parameters(record));
  }

  /**
   * Whether {@code record} is a data event: its {@code eventCategory} says so, or, in a record
   * older than that field, {@code managementEvent} is false for an API call.
   */
  static boolean dataEvent(JsonNode record) {
    JsonNode category = record.path("eventCategory");
    if (category.isTextual()) {
      return category.asText().equals("Data");
    }
    return record.path("managementEvent").isBoolean()
        && !record.path("managementEvent").asBoolean()
        && record.path("eventType").asText("").equals("AwsApiCall");
  }

  /**
   * The keys under which a create hands a role to the service it creates (EC2's instance profile,
   * Lambda's and Glue's {@code role}, CloudFormation's {@code roleARN}, CodeBuild's {@code
   * serviceRole}, ECS's task and execution roles, also as a run's overrides), in the order read.
   */
  private static final List<String> ROLE_KEYS =
      List.of(
          "role",
          "roleArn",
          "roleARN",
          "serviceRole",
          "taskRoleArn",
          "executionRoleArn",
          "overrides.taskRoleArn",
          "overrides.executionRoleArn");

  /**
   * The role {@code record}'s request names for a service, whether it asked for a decrypted value,
   * and the resource it acted on ({@link CloudTrailResources}).
   */
  static ActivityLookup.Parameters parameters(JsonNode record) {
    JsonNode request = record.path("requestParameters");
    JsonNode profile = request.path("iamInstanceProfile");
    Optional<String> named = text(profile.path("arn")).or(() -> text(profile.path("name")));
    for (String key : ROLE_KEYS) {
      if (named.isPresent()) {
        break;
      }
      JsonNode n = request;
      for (String part : key.split("\\.")) {
        n = n.path(part);
      }
      named = text(n);
    }
    return new ActivityLookup.Parameters(
        named, request.path("withDecryption").asBoolean(false), CloudTrailResources.of(record));
  }

  /**
   * Who called through a federation ({@code AssumeRoleWithWebIdentity}, {@code
   * AssumeRoleWithSAML}), as CloudTrail names them: {@code identityProvider/userName}. Such a
   * caller has no ARN and no key.
   */
  private static Optional<String> federatedUser(JsonNode identity) {
    String type = identity.path("type").asText("");
    if (!type.equals("WebIdentityUser") && !type.equals("SAMLUser")) {
      return Optional.empty();
    }
    Optional<String> provider = text(identity.path("identityProvider"));
    Optional<String> user = text(identity.path("userName"));
    return provider.isEmpty() && user.isEmpty()
        ? Optional.empty()
        : Optional.of(provider.orElse("?") + "/" + user.orElse("?"));
  }

  /** A record quoted as text; an unreadable one reads as empty. */
  static JsonNode record(String json) {
    if (json == null) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode n = JSON.readTree(json);
      return n == null ? JSON.createObjectNode() : n;
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static Optional<String> callerSourceIdentity(JsonNode identity) {
    return text(identity.path("sessionContext").path("sourceIdentity"));
  }

  private static Optional<Instant> instant(String s) {
    try {
      return Optional.of(Instant.parse(s));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static Optional<String> text(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty() ? Optional.of(n.asText()) : Optional.empty();
  }
}
