package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.stint.standin.CloudTrailEvent;
import dev.stint.testing.MutableClock;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClientBuilder;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.InvalidLookupAttributesException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.cloudtrail.model.Resource;
import software.amazon.awssdk.services.cloudtrail.model.ThrottlingException;

/**
 * The CloudTrail stand-in driven by the real SDK client: lookups by access key, newest first, with
 * every field stint reads; full pages joined by {@code NextToken}; late delivery; and its refusals
 * as the SDK parses them (a second lookup attribute, a token from another query, the third call
 * within a second, an unknown key, a wrong secret, an unsigned call).
 */
class CloudTrailStandInTest {
  static final String ACCOUNT = "111122223333";
  static final String KEY = "AKIASTINTBROKER00001";
  static final String SECRET = "stint-broker-secret-for-the-cloudtrail-stand-in";
  static final String GRANT_KEY = "ASIAGRANTSESSION0001";
  static final String ROLE = "arn:aws:iam::111122223333:role/prod-admin";

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final SdkHttpClient http = Apache5HttpClient.create();
  private final List<CloudTrailStandIn> started = new ArrayList<>();

  @AfterEach
  void stop() {
    http.close();
    started.forEach(CloudTrailStandIn::close);
  }

  private CloudTrailStandIn standIn(Clock clock, Duration delivery) {
    CloudTrailStandIn standIn = new CloudTrailStandIn(clock, delivery).allow(KEY, SECRET, ACCOUNT);
    started.add(standIn);
    return standIn;
  }

  private CloudTrailClient client(
      CloudTrailStandIn standIn,
      AwsCredentialsProvider credentials,
      Consumer<CloudTrailClientBuilder> more) {
    CloudTrailClientBuilder builder =
        CloudTrailClient.builder()
            .httpClient(http)
            .endpointOverride(standIn.uri())
            .region(Region.EU_WEST_1)
            .credentialsProvider(credentials);
    more.accept(builder);
    return builder.build();
  }

  private CloudTrailClient client(CloudTrailStandIn standIn) {
    return client(
        standIn,
        StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)),
        b -> b.overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())));
  }

  private static LookupEventsRequest byKey(String key) {
    return LookupEventsRequest.builder()
        .lookupAttributes(
            LookupAttribute.builder()
                .attributeKey(LookupAttributeKey.ACCESS_KEY_ID)
                .attributeValue(key)
                .build())
        .build();
  }

  private CloudTrailEvent.Builder event(String name, Duration ago) {
    return CloudTrailEvent.builder("s3.amazonaws.com", name)
        .time(clock.instant().minus(ago))
        .region("eu-west-1")
        .accessKeyId(GRANT_KEY)
        .assumedRole("prod-admin", "jane@example.com")
        .sourceIdentity("jane@example.com");
  }

  private final CloudTrailEvent assumed =
      CloudTrailEvent.builder("sts.amazonaws.com", "AssumeRole")
          .time(clock.instant().minus(Duration.ofMinutes(30)))
          .region("eu-west-1")
          .accessKeyId(GRANT_KEY)
          .assumedRole("prod-admin", "jane@example.com")
          .sourceIdentity("jane@example.com")
          .roleArn(ROLE)
          .sourceIp("203.0.113.9")
          .build();
  private final CloudTrailEvent denied =
      event("DeleteBucket", Duration.ofMinutes(10)).errorCode("AccessDenied").build();
  private final CloudTrailEvent listed =
      event("ListBuckets", Duration.ofMinutes(20)).readOnly(true).build();

  /** The grant key's three events, among others of another key, region and account. */
  private List<Event> lookUpTheGrantsKey() {
    CloudTrailStandIn cloudTrail =
        standIn(clock, Duration.ZERO)
            .record(ACCOUNT, assumed)
            .record(ACCOUNT, denied)
            .record(ACCOUNT, listed)
            .record(
                ACCOUNT, event("GetObject", Duration.ofMinutes(5)).accessKeyId("ASIAOTHER").build())
            .record(ACCOUNT, event("GetObject", Duration.ofMinutes(5)).region("us-east-1").build())
            .record("444455556666", event("GetObject", Duration.ofMinutes(5)).build());
    try (CloudTrailClient client = client(cloudTrail)) {
      return client.lookupEvents(byKey(GRANT_KEY)).events();
    }
  }

  @Test
  void aLookupByAccessKeyFindsThatKeysEventsInTheAccountAndRegionNewestFirst() {
    List<Event> events = lookUpTheGrantsKey();

    assertThat(events)
        .extracting(Event::eventId)
        .containsExactly(denied.eventId(), listed.eventId(), assumed.eventId());
    Event first = events.get(0);
    assertThat(first.eventName()).isEqualTo("DeleteBucket");
    assertThat(first.eventSource()).isEqualTo("s3.amazonaws.com");
    assertThat(first.eventTime()).isEqualTo(denied.eventTime());
    assertThat(first.username()).isEqualTo("jane@example.com");
    assertThat(first.accessKeyId()).isEqualTo(GRANT_KEY);
    assertThat(first.readOnly()).isEqualTo("false");
    assertThat(events.get(1).readOnly()).isEqualTo("true");
  }

  @Test
  void aLookupByUsernameFindsEverySessionNamedAfterTheUserAndTheIamUserOfTheName() {
    CloudTrailEvent portal =
        CloudTrailEvent.builder("ec2.amazonaws.com", "DescribeInstances")
            .time(clock.instant().minus(Duration.ofMinutes(3)))
            .region("eu-west-1")
            .accessKeyId("ASIAPORTALSESSION001")
            .assumedRole("AWSReservedSSO_ReadOnly_0123456789abcdef", "jane@example.com")
            .build();
    CloudTrailEvent iamUser =
        CloudTrailEvent.builder("iam.amazonaws.com", "ListUsers")
            .time(clock.instant().minus(Duration.ofMinutes(2)))
            .region("eu-west-1")
            .accessKeyId("AKIAJANESOWNKEY00001")
            .user("jane@example.com")
            .build();
    CloudTrailStandIn cloudTrail =
        standIn(clock, Duration.ZERO)
            .record(ACCOUNT, listed)
            .record(ACCOUNT, portal)
            .record(ACCOUNT, iamUser)
            .record(
                ACCOUNT,
                event("GetObject", Duration.ofMinutes(1))
                    .assumedRole("prod-admin", "bob@example.com")
                    .build());
    List<Event> events;
    try (CloudTrailClient client = client(cloudTrail)) {
      events =
          client
              .lookupEvents(
                  b ->
                      b.lookupAttributes(
                          LookupAttribute.builder()
                              .attributeKey(LookupAttributeKey.USERNAME)
                              .attributeValue("jane@example.com")
                              .build()))
              .events();
    }

    assertThat(events)
        .extracting(Event::eventId)
        .containsExactly(iamUser.eventId(), portal.eventId(), listed.eventId());
    assertThat(events).extracting(Event::username).containsOnly("jane@example.com");
    JsonObject identity =
        new JsonObject(events.get(1).cloudTrailEvent()).getJsonObject("userIdentity");
    assertThat(identity.getString("arn"))
        .isEqualTo(
            "arn:aws:sts::"
                + ACCOUNT
                + ":assumed-role/AWSReservedSSO_ReadOnly_0123456789abcdef/jane@example.com");
  }

  @Test
  void eachEventQuotesItsFullRecordWithTheSessionsSourceIdentity() {
    JsonObject record = new JsonObject(lookUpTheGrantsKey().get(0).cloudTrailEvent());

    assertThat(record.getString("eventID")).isEqualTo(denied.eventId());
    assertThat(record.getString("eventTime")).isEqualTo(denied.eventTime().toString());
    assertThat(record.getString("eventSource")).isEqualTo("s3.amazonaws.com");
    assertThat(record.getString("eventName")).isEqualTo("DeleteBucket");
    assertThat(record.getString("awsRegion")).isEqualTo("eu-west-1");
    assertThat(record.getString("errorCode")).isEqualTo("AccessDenied");
    assertThat(record.getString("recipientAccountId")).isEqualTo(ACCOUNT);
    JsonObject identity = record.getJsonObject("userIdentity");
    assertThat(identity.getString("type")).isEqualTo("AssumedRole");
    assertThat(identity.getString("accessKeyId")).isEqualTo(GRANT_KEY);
    assertThat(identity.getString("arn"))
        .isEqualTo("arn:aws:sts::111122223333:assumed-role/prod-admin/jane@example.com");
    assertThat(identity.getJsonObject("sessionContext").getString("sourceIdentity"))
        .isEqualTo("jane@example.com");
  }

  @Test
  void anAssumeRoleNamesItsRoleInTheParametersAndTheResources() {
    Event assumeRole = lookUpTheGrantsKey().get(2);

    assertThat(assumeRole.resources())
        .extracting(Resource::resourceType, Resource::resourceName)
        .containsExactly(tuple("AWS::IAM::Role", ROLE));
    JsonObject record = new JsonObject(assumeRole.cloudTrailEvent());
    assertThat(record.getJsonObject("requestParameters").getString("roleArn")).isEqualTo(ROLE);
    assertThat(record.getString("sourceIPAddress")).isEqualTo("203.0.113.9");
    assertThat(record.containsKey("errorCode")).isFalse();
  }

  @Test
  void moreThanFiftyEventsComeInPagesJoinedByNextToken() {
    CloudTrailStandIn cloudTrail = standIn(clock, Duration.ZERO);
    List<CloudTrailEvent> recorded = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      // Two events a second, so some share their second and the tie-break is exercised.
      CloudTrailEvent e = event("GetObject", Duration.ofSeconds(i / 2 + 1)).build();
      recorded.add(e);
      cloudTrail.record(ACCOUNT, e);
    }
    List<String> seen = new ArrayList<>();
    List<Integer> pages = new ArrayList<>();
    String token = null;
    try (CloudTrailClient client = client(cloudTrail)) {
      do {
        clock.advance(Duration.ofSeconds(1));
        LookupEventsResponse page =
            client.lookupEvents(byKey(GRANT_KEY).toBuilder().nextToken(token).build());
        pages.add(page.events().size());
        page.events().forEach(e -> seen.add(e.eventId()));
        token = page.nextToken();
      } while (token != null);
    }

    assertThat(pages).containsExactly(50, 50, 20);
    assertThat(seen)
        .containsExactlyElementsOf(
            recorded.stream()
                .sorted(
                    Comparator.comparing(CloudTrailEvent::eventTime)
                        .thenComparing(CloudTrailEvent::eventId)
                        .reversed())
                .map(CloudTrailEvent::eventId)
                .toList());
  }

  @Test
  void aTokenOfferedWithAnotherQueryIsAnInvalidNextToken() {
    CloudTrailStandIn cloudTrail = standIn(clock, Duration.ZERO);
    for (int i = 0; i < 3; i++) {
      cloudTrail.record(ACCOUNT, event("GetObject", Duration.ofMinutes(i + 1)).build());
    }
    try (CloudTrailClient client = client(cloudTrail)) {
      String token =
          client.lookupEvents(byKey(GRANT_KEY).toBuilder().maxResults(1).build()).nextToken();
      assertThat(token).isNotNull();
      clock.advance(Duration.ofSeconds(1));

      InvalidNextTokenException e =
          catchThrowableOfType(
              InvalidNextTokenException.class,
              () -> client.lookupEvents(byKey("ASIAOTHER").toBuilder().nextToken(token).build()));

      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidNextTokenException");
    }
  }

  @Test
  void aSecondLookupAttributeIsRefused() {
    CloudTrailStandIn cloudTrail = standIn(clock, Duration.ZERO);
    LookupEventsRequest two =
        LookupEventsRequest.builder()
            .lookupAttributes(
                LookupAttribute.builder()
                    .attributeKey(LookupAttributeKey.ACCESS_KEY_ID)
                    .attributeValue(GRANT_KEY)
                    .build(),
                LookupAttribute.builder()
                    .attributeKey(LookupAttributeKey.EVENT_NAME)
                    .attributeValue("GetObject")
                    .build())
            .build();

    InvalidLookupAttributesException e;
    try (CloudTrailClient client = client(cloudTrail)) {
      e =
          catchThrowableOfType(
              InvalidLookupAttributesException.class, () -> client.lookupEvents(two));
    }

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidLookupAttributesException");
    assertThat(e.requestId()).isNotBlank();
  }

  @Test
  void theThirdCallWithinASecondIsThrottledAndTheSdksRetryGetsThrough() {
    CloudTrailStandIn cloudTrail = standIn(Clock.systemUTC(), Duration.ZERO);
    AtomicInteger attempts = new AtomicInteger();
    ExecutionInterceptor counter =
        new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(
              Context.BeforeTransmission context, ExecutionAttributes attributes) {
            attempts.incrementAndGet();
          }
        };
    try (CloudTrailClient once = client(cloudTrail);
        CloudTrailClient retrying =
            client(
                cloudTrail,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)),
                b -> b.overrideConfiguration(c -> c.addExecutionInterceptor(counter)))) {
      once.lookupEvents(byKey(GRANT_KEY));
      once.lookupEvents(byKey(GRANT_KEY));
      ThrottlingException throttled =
          catchThrowableOfType(
              ThrottlingException.class, () -> once.lookupEvents(byKey(GRANT_KEY)));

      assertThat(throttled.statusCode()).isEqualTo(400);
      assertThat(throttled.isThrottlingException()).isTrue();

      LookupEventsResponse answered = retrying.lookupEvents(byKey(GRANT_KEY));
      assertThat(answered.events()).isEmpty();
      assertThat(attempts.get()).isGreaterThan(1);
    }
  }

  @Test
  void anEventIsFoundOnlyOnceItHasBeenDelivered() {
    CloudTrailStandIn cloudTrail = standIn(clock, Duration.ofMinutes(5));
    CloudTrailEvent now = event("GetObject", Duration.ZERO).build();
    cloudTrail.record(ACCOUNT, now);

    try (CloudTrailClient client = client(cloudTrail)) {
      assertThat(client.lookupEvents(byKey(GRANT_KEY)).events()).isEmpty();
      clock.advance(Duration.ofMinutes(5).minusSeconds(1));
      assertThat(client.lookupEvents(byKey(GRANT_KEY)).events()).isEmpty();
      clock.advance(Duration.ofSeconds(1));
      assertThat(client.lookupEvents(byKey(GRANT_KEY)).events())
          .extracting(Event::eventId)
          .containsExactly(now.eventId());
    }
  }

  @Test
  void aWrongSecretAnUnknownKeyAndNoSignatureAreRefused() {
    CloudTrailStandIn cloudTrail = standIn(clock, Duration.ZERO);

    AwsServiceException wrongSecret =
        refused(cloudTrail, StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, "x")));
    AwsServiceException unknownKey =
        refused(
            cloudTrail,
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIANOBODY", SECRET)));
    AwsServiceException unsigned = refused(cloudTrail, AnonymousCredentialsProvider.create());

    assertThat(wrongSecret.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
    assertThat(wrongSecret.statusCode()).isEqualTo(400);
    assertThat(unknownKey.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
    assertThat(unknownKey.statusCode()).isEqualTo(400);
    assertThat(unsigned.awsErrorDetails().errorCode())
        .isEqualTo("MissingAuthenticationTokenException");
    assertThat(unsigned.statusCode()).isEqualTo(403);
  }

  private AwsServiceException refused(
      CloudTrailStandIn cloudTrail, AwsCredentialsProvider credentials) {
    clock.advance(Duration.ofSeconds(1));
    try (CloudTrailClient client =
        client(
            cloudTrail,
            credentials,
            b -> b.overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())))) {
      return catchThrowableOfType(
          AwsServiceException.class, () -> client.lookupEvents(byKey(GRANT_KEY)));
    }
  }
}
