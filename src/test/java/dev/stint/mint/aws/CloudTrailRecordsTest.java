package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.mint.ActivityLookup.Call;
import dev.stint.standin.CloudTrailEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An event as EventBridge delivers it is read as the call its record describes, or refused whole
 * when it is not one event with the record's id, time, service, operation and region.
 */
class CloudTrailRecordsTest {
  static final String ACCOUNT = "111122223333";
  static final Instant AT = Instant.parse("2026-11-26T10:15:30Z");

  static byte[] delivered(JsonObject record) {
    return new JsonObject()
        .put("version", "0")
        .put("detail-type", "AWS API Call via CloudTrail")
        .put("source", "aws.sts")
        .put("account", ACCOUNT)
        .put("region", "eu-west-1")
        .put("detail", record)
        .encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  static JsonObject assumeRole() {
    return CloudTrailEvent.builder("sts.amazonaws.com", "AssumeRole")
        .eventId("ev-1")
        .time(AT)
        .region("eu-west-1")
        .accessKeyId("ASIACHAINED000000001")
        .sourceIp("198.51.100.9")
        .assumedRole("prod", "alice")
        .sourceIdentity("0123456789abcdef.grt_1")
        .roleArn("arn:aws:iam::111122223333:role/admin")
        .build()
        .record(ACCOUNT);
  }

  @Test
  void aDeliveredEventIsReadAsTheCallItRecords() {
    Call c = CloudTrailRecords.delivered(delivered(assumeRole())).orElseThrow();

    assertThat(c.id()).isEqualTo("ev-1");
    assertThat(c.time()).isEqualTo(AT);
    assertThat(c.source()).isEqualTo("sts.amazonaws.com");
    assertThat(c.name()).isEqualTo("AssumeRole");
    assertThat(c.region()).isEqualTo("eu-west-1");
    assertThat(c.sourceIp()).contains("198.51.100.9");
    assertThat(c.errorCode()).isEmpty();
    assertThat(c.accessKeyId()).contains("ASIACHAINED000000001");
    assertThat(c.assumedRole()).contains("arn:aws:iam::111122223333:role/admin");
    assertThat(c.callerArn()).contains("arn:aws:sts::111122223333:assumed-role/prod/alice");
    assertThat(c.callerSourceIdentity()).contains("0123456789abcdef.grt_1");
    // Nothing asked for: the caller's own is what the new session carries.
    assertThat(c.sourceIdentity()).contains("0123456789abcdef.grt_1");
  }

  @Test
  void theSourceIdentityAskedForIsTheOneTheNewSessionCarries() {
    JsonObject record = assumeRole();
    record.getJsonObject("requestParameters").put("sourceIdentity", "asked");

    Call c = CloudTrailRecords.delivered(delivered(record)).orElseThrow();

    assertThat(c.sourceIdentity()).contains("asked");
    assertThat(c.callerSourceIdentity()).contains("0123456789abcdef.grt_1");
  }

  @Test
  void anIamUsersCallHasNoSessionSourceIdentity() {
    JsonObject record =
        CloudTrailEvent.builder("s3.amazonaws.com", "GetObject")
            .time(AT)
            .region("eu-west-1")
            .accessKeyId("AKIAUSER000000000001")
            .user("bob")
            .build()
            .record(ACCOUNT);

    Call c = CloudTrailRecords.delivered(delivered(record)).orElseThrow();

    assertThat(c.callerArn()).contains("arn:aws:iam::111122223333:user/bob");
    assertThat(c.callerSourceIdentity()).isEmpty();
    assertThat(c.sourceIdentity()).isEmpty();
    assertThat(c.assumedRole()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[]",
        "{}",
        "{\"detail\": \"a string\"}",
        "{\"detail\": {}} trailing",
        "{\"detail\": {}}",
        "{\"detail\": {\"eventTime\": \"2026-11-26T10:15:30Z\", \"eventSource\": \"s\","
            + " \"eventName\": \"n\", \"awsRegion\": \"r\"}}",
        "{\"detail\": {\"eventID\": \"e\", \"eventTime\": \"yesterday\", \"eventSource\": \"s\","
            + " \"eventName\": \"n\", \"awsRegion\": \"r\"}}",
        "{\"detail\": {\"eventID\": \"e\", \"eventTime\": \"2026-11-26T10:15:30Z\","
            + " \"eventName\": \"n\", \"awsRegion\": \"r\"}}",
        "{\"detail\": {\"eventID\": 7, \"eventTime\": \"2026-11-26T10:15:30Z\","
            + " \"eventSource\": \"s\", \"eventName\": \"n\", \"awsRegion\": \"r\"}}",
        "{\"detail\": {\"eventID\": \"e\", \"eventID\": \"f\","
            + " \"eventTime\": \"2026-11-26T10:15:30Z\", \"eventSource\": \"s\","
            + " \"eventName\": \"n\", \"awsRegion\": \"r\"}}"
      })
  void notOneEventWithItsIdTimeServiceOperationAndRegionIsRefused(String body) {
    assertThat(CloudTrailRecords.delivered(body.getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  @Test
  void theSmallestEventIsRead() {
    String body =
        "{\"detail\": {\"eventID\": \"e\", \"eventTime\": \"2026-11-26T10:15:30Z\","
            + " \"eventSource\": \"s\", \"eventName\": \"n\", \"awsRegion\": \"r\"}}";
    assertThat(CloudTrailRecords.delivered(body.getBytes(StandardCharsets.UTF_8)))
        .map(Call::accessKeyId)
        .contains(Optional.empty());
  }

  @Test
  void anIdNotShapedLikeCloudTrailsOrAFieldLongerThanItWritesIsRefused() {
    JsonObject longId = assumeRole().put("eventID", "e".repeat(65));
    JsonObject foreignId = assumeRole().put("eventID", "ev\u00e9-1");
    JsonObject longName = assumeRole().put("eventName", "n".repeat(257));
    JsonObject longAddress = assumeRole().put("sourceIPAddress", "1".repeat(257));
    for (JsonObject r : new JsonObject[] {longId, foreignId, longName, longAddress}) {
      assertThat(CloudTrailRecords.delivered(delivered(r))).as(r.encode()).isEmpty();
    }
    assertThat(
            CloudTrailRecords.delivered(delivered(assumeRole().put("eventName", "n".repeat(256)))))
        .isPresent();
  }

  static JsonObject withParameters(String name, JsonObject parameters) {
    return CloudTrailEvent.builder("ec2.amazonaws.com", name)
        .eventId("ev-p")
        .time(AT)
        .region("eu-west-1")
        .accessKeyId("ASIASTINTSESSION0001")
        .assumedRole("prod", "alice")
        .build()
        .record(ACCOUNT)
        .put("requestParameters", parameters);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"iamInstanceProfile\": {\"arn\": \"arn:aws:iam::1:instance-profile/a\"}}"
            + "| arn:aws:iam::1:instance-profile/a",
        "{\"iamInstanceProfile\": {\"name\": \"admin\"}} | admin",
        "{\"functionName\": \"f\", \"role\": \"arn:aws:iam::1:role/r\"} | arn:aws:iam::1:role/r",
        "{\"roleARN\": \"arn:aws:iam::1:role/cfn\"} | arn:aws:iam::1:role/cfn",
        "{\"overrides\": {\"taskRoleArn\": \"arn:aws:iam::1:role/task\"}}"
            + "| arn:aws:iam::1:role/task",
        "{\"instanceType\": \"t3.micro\"} | NONE",
        "{\"role\": 42} | NONE"
      })
  void theRoleARequestNamesForAServiceIsRead(String parameters, String role) {
    Call c =
        CloudTrailRecords.delivered(
                delivered(withParameters("RunInstances", new JsonObject(parameters))))
            .orElseThrow();
    assertThat(c.parameters().namedRole())
        .isEqualTo(role.equals("NONE") ? Optional.empty() : Optional.of(role));
  }

  @Test
  void aDecryptedReadIsToldFromAPlainOne() {
    Call decrypted =
        CloudTrailRecords.delivered(
                delivered(
                    withParameters(
                        "GetParameter",
                        new JsonObject().put("name", "/p").put("withDecryption", true))))
            .orElseThrow();
    Call plain =
        CloudTrailRecords.delivered(
                delivered(withParameters("GetParameter", new JsonObject().put("name", "/p"))))
            .orElseThrow();
    assertThat(decrypted.parameters().withDecryption()).isTrue();
    assertThat(plain.parameters().withDecryption()).isFalse();
  }
}
