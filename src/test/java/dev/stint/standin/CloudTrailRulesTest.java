package dev.stint.standin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CloudTrail's rules without HTTP: each way a {@code LookupEvents} body or signature is refused,
 * with the operation's own error; the rate limit; pages and their tokens.
 */
class CloudTrailRulesTest {
  private static final String KEY = "AKIASTINTBROKER00001";
  private static final Instant T = Instant.parse("2026-11-26T12:00:00Z");

  static Stream<Arguments> refusedBodies() {
    return Stream.of(
        Arguments.of("not JSON", "{\"LookupAttributes\":", "SerializationException"),
        Arguments.of(
            "MaxResults not a number", "{\"MaxResults\":\"ten\"}", "SerializationException"),
        Arguments.of(
            "two attributes",
            "{\"LookupAttributes\":[{\"AttributeKey\":\"AccessKeyId\",\"AttributeValue\":\"A\"},"
                + "{\"AttributeKey\":\"EventName\",\"AttributeValue\":\"B\"}]}",
            "InvalidLookupAttributesException"),
        Arguments.of(
            "an unknown key", attribute("SourceIp", "1.2.3.4"), "InvalidLookupAttributesException"),
        Arguments.of(
            "no key",
            "{\"LookupAttributes\":[{\"AttributeValue\":\"A\"}]}",
            "InvalidLookupAttributesException"),
        Arguments.of(
            "an empty value", attribute("AccessKeyId", ""), "InvalidLookupAttributesException"),
        Arguments.of(
            "a value over 2000 as counted",
            attribute("Username", "_".repeat(1001)),
            "InvalidLookupAttributesException"),
        Arguments.of(
            "ReadOnly neither true nor false",
            attribute("ReadOnly", "yes"),
            "InvalidLookupAttributesException"),
        Arguments.of("MaxResults 0", "{\"MaxResults\":0}", "InvalidMaxResultsException"),
        Arguments.of("MaxResults 51", "{\"MaxResults\":51}", "InvalidMaxResultsException"),
        Arguments.of(
            "a start after the end",
            "{\"StartTime\":1764158400.5,\"EndTime\":1764158400}",
            "InvalidTimeRangeException"),
        Arguments.of(
            "a category but insight",
            "{\"EventCategory\":\"management\"}",
            "InvalidEventCategoryException"));
  }

  private static String attribute(String key, String value) {
    return "{\"LookupAttributes\":[{\"AttributeKey\":\""
        + key
        + "\",\"AttributeValue\":\""
        + value
        + "\"}]}";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedBodies")
  void aBadBodyIsRefusedWithTheOperationsError(String why, String body, String code) {
    CloudTrailRules.Parsed parsed = CloudTrailRules.lookup(body);

    assertThat(parsed.lookup()).isNull();
    assertThat(parsed.refusal().code()).isEqualTo(code);
    assertThat(parsed.refusal().status()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "EventId", "EventName", "ReadOnly", "Username",
        "ResourceType", "ResourceName", "EventSource", "AccessKeyId"
      })
  void everyDocumentedKeyIsAccepted(String key) {
    CloudTrailRules.Parsed parsed =
        CloudTrailRules.lookup(attribute(key, key.equals("ReadOnly") ? "true" : "x"));

    assertThat(parsed.refusal()).isNull();
    assertThat(parsed.lookup().attribute().key()).isEqualTo(key);
  }

  @Test
  void anEmptyBodyAsksForFiftyOfEverything() {
    CloudTrailLookup lookup = CloudTrailRules.lookup("{}").lookup();

    assertThat(lookup.maxResults()).isEqualTo(50);
    assertThat(lookup.attribute()).isNull();
  }

  @Test
  void timesAreEpochSecondsWithTheirFraction() {
    CloudTrailLookup lookup =
        CloudTrailRules.lookup("{\"StartTime\":1764158400.25,\"EndTime\":1764158401}").lookup();

    assertThat(lookup.start()).isEqualTo(Instant.ofEpochSecond(1764158400, 250_000_000));
    assertThat(lookup.end()).isEqualTo(Instant.ofEpochSecond(1764158401));
  }

  @Test
  void underscoresSpacesCommasAndNewlinesCountTwice() {
    assertThat(CloudTrailRules.counted("a_b c,d\ne")).isEqualTo(13);
    assertThat(CloudTrailRules.lookup(attribute("Username", "_".repeat(1000))).refusal()).isNull();
  }

  @Test
  void twoLookupsASecondPerAccountAndRegion() {
    LookupRate rate = new LookupRate();

    assertThat(rate.admit("a", "eu-west-1", T)).isEmpty();
    assertThat(rate.admit("a", "eu-west-1", T.plusMillis(400))).isEmpty();
    Optional<Refusal> third = rate.admit("a", "eu-west-1", T.plusMillis(999));
    assertThat(third).map(Refusal::code).contains("ThrottlingException");
    assertThat(third).map(Refusal::status).contains(400);
    assertThat(rate.admit("a", "us-east-1", T.plusMillis(999))).isEmpty();
    assertThat(rate.admit("b", "eu-west-1", T.plusMillis(999))).isEmpty();
    assertThat(rate.admit("a", "eu-west-1", T.plusMillis(1000))).isEmpty();
    assertThat(rate.admit("a", "eu-west-1", T.plusMillis(1200))).isNotEmpty();
  }

  @Test
  void aTokenBelongsToItsQueryAccountAndRegion() {
    List<CloudTrailEvent> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      events.add(
          CloudTrailEvent.builder("s3.amazonaws.com", "GetObject")
              .time(T.minus(Duration.ofMinutes(i)))
              .region("eu-west-1")
              .accessKeyId(KEY)
              .build());
    }
    CloudTrailLookup first = CloudTrailRules.lookup("{\"MaxResults\":2}").lookup();
    String token = first.page(events, "a", "eu-west-1").nextToken();
    CloudTrailLookup next =
        CloudTrailRules.lookup("{\"MaxResults\":2,\"NextToken\":\"" + token + "\"}").lookup();

    assertThat(next.page(events, "a", "eu-west-1").events()).containsExactly(events.get(2));
    assertThat(next.page(events, "b", "eu-west-1").refusal().code())
        .isEqualTo("InvalidNextTokenException");
    assertThat(next.page(events, "a", "us-east-1").refusal().code())
        .isEqualTo("InvalidNextTokenException");
    assertThat(
            CloudTrailRules.lookup("{\"NextToken\":\"not-a-token\"}")
                .lookup()
                .page(events, "a", "eu-west-1")
                .refusal()
                .code())
        .isEqualTo("InvalidNextTokenException");
  }

  @Test
  void insightLookupsFindNoManagementEvents() {
    CloudTrailEvent event =
        CloudTrailEvent.builder("s3.amazonaws.com", "GetObject")
            .time(T)
            .region("eu-west-1")
            .accessKeyId(KEY)
            .build();

    assertThat(
            CloudTrailRules.lookup("{\"EventCategory\":\"insight\"}")
                .lookup()
                .page(List.of(event), "a", "eu-west-1")
                .events())
        .isEmpty();
  }

  static Stream<Arguments> refusedSignatures() {
    String scope = "Credential=" + KEY + "/20261126/eu-west-1/cloudtrail/aws4_request";
    String signed = ", SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + "ab".repeat(32);
    return Stream.of(
        Arguments.of(
            "another operation",
            "DescribeTrails",
            "AWS4-HMAC-SHA256 " + scope + signed,
            400,
            "UnknownOperationException"),
        Arguments.of("unsigned", "LookupEvents", null, 403, "MissingAuthenticationTokenException"),
        Arguments.of(
            "no signature",
            "LookupEvents",
            "AWS4-HMAC-SHA256 " + scope,
            400,
            "IncompleteSignatureException"),
        Arguments.of(
            "scoped to STS",
            "LookupEvents",
            "AWS4-HMAC-SHA256 " + scope.replace("cloudtrail", "sts") + signed,
            400,
            "InvalidSignatureException"),
        Arguments.of(
            "a key it does not know",
            "LookupEvents",
            "AWS4-HMAC-SHA256 " + scope.replace(KEY, "AKIANOBODY") + signed,
            400,
            "UnrecognizedClientException"),
        Arguments.of(
            "the wrong signature",
            "LookupEvents",
            "AWS4-HMAC-SHA256 " + scope + signed,
            400,
            "InvalidSignatureException"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedSignatures")
  void aCallIsRefusedBeforeItsBodyIsRead(
      String why, String operation, String authorization, int status, String code) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Host", List.of("127.0.0.1:1"));
    headers.put("X-Amz-Date", List.of("20261126T120000Z"));
    headers.put(
        "X-Amz-Target",
        List.of("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101." + operation));
    if (authorization != null) {
      headers.put("Authorization", List.of(authorization));
    }
    JsonServer.Call call =
        new JsonServer.Call(new QueryRequest("POST", "/", Map.of(), headers), "{}");

    CloudTrailRules.Signer signer =
        CloudTrailRules.signer(
            call,
            key ->
                key.equals(KEY)
                    ? Optional.of(new CloudTrailRules.Credential(KEY, "secret", "a"))
                    : Optional.empty());

    assertThat(signer.account()).isNull();
    assertThat(signer.refusal().code()).isEqualTo(code);
    assertThat(signer.refusal().status()).isEqualTo(status);
  }
}
