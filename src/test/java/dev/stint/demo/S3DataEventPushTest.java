package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.stint.mint.ActivityLookup.Call;
import dev.stint.mint.aws.CloudTrailRecords;
import dev.stint.standin.CloudTrailEvent;
import dev.stint.standin.S3StandIn;
import dev.stint.standin.SigningKeys;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The demo's S3 logs each call a session makes as CloudTrail records it (reading a bucket is a data
 * event, listing the buckets a management event), and the EventBridge stand-in posts a data event
 * to stint's ingest as EventBridge does: the record in its envelope, with the bearer token, again
 * after a 5xx and never after a 4xx. stint's own reader takes the delivered body as the data event
 * of the session's key, in the session's account.
 */
class S3DataEventPushTest {
  static final String ROLE = "arn:aws:iam::111122223333:role/demo-admin";
  static final String SOURCE_IDENTITY = "0123456789abcdef.grt_1";
  static final String TOKEN = "ingest-token-of-this-test-0123456789abcdef";

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final StsStandIn sts = new StsStandIn(clock);
  private final IamStandIn iam =
      new IamStandIn()
          .signedBy(sts)
          .createRole("demo-admin")
          .putRolePolicy("demo-admin", DemoBucket.POLICY_NAME, DemoBucket.POLICY);
  private final S3StandIn s3 =
      new S3StandIn(sts::minted, SigningKeys.HOME_ACCOUNT, iam::documents, clock);
  private final SdkHttpClient http = Apache5HttpClient.create();
  private final List<Map.Entry<String, CloudTrailEvent>> logged = new CopyOnWriteArrayList<>();
  private HttpServer ingest;

  S3DataEventPushTest() {
    DemoBucket.fill(s3);
    s3.logTo((account, event) -> logged.add(Map.entry(account, event)));
  }

  @AfterEach
  void stop() {
    if (ingest != null) {
      ingest.stop(0);
    }
    http.close();
    s3.close();
    iam.close();
    sts.close();
  }

  @Test
  void eachReadIsLoggedAsTheDataEventCloudTrailRecords() {
    Credentials session = session();
    S3Client client = s3(session);

    client.listBuckets();
    client.listObjectsV2(b -> b.bucket(DemoBucket.NAME).prefix("reports/"));
    client.getObjectAsBytes(b -> b.bucket(DemoBucket.NAME).key("hello.txt"));
    client.headObject(b -> b.bucket(DemoBucket.NAME).key("hello.txt"));

    assertThat(logged)
        .extracting(e -> e.getValue().eventName())
        .containsExactly("ListBuckets", "ListObjects", "GetObject", "HeadObject");
    assertThat(logged).extracting(Map.Entry::getKey).containsOnly(SigningKeys.HOME_ACCOUNT);
    assertThat(logged)
        .extracting(e -> e.getValue().data())
        .containsExactly(false, true, true, true);
    JsonObject get = logged.get(2).getValue().record(SigningKeys.HOME_ACCOUNT);
    assertThat(get.getString("eventCategory")).isEqualTo("Data");
    assertThat(get.getBoolean("managementEvent")).isFalse();
    assertThat(get.getString("eventSource")).isEqualTo("s3.amazonaws.com");
    assertThat(get.getJsonObject("userIdentity").getString("accessKeyId"))
        .isEqualTo(session.accessKeyId());
    assertThat(
            get.getJsonObject("userIdentity")
                .getJsonObject("sessionContext")
                .getString("sourceIdentity"))
        .isEqualTo(SOURCE_IDENTITY);
    assertThat(get.getJsonObject("requestParameters").getMap())
        .containsEntry("bucketName", DemoBucket.NAME)
        .containsEntry("key", "hello.txt");
    assertThat(get.getJsonArray("resources"))
        .isEqualTo(
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("type", "AWS::S3::Object")
                        .put("ARN", "arn:aws:s3:::stint-demo/hello.txt"))
                .add(
                    new JsonObject()
                        .put("accountId", SigningKeys.HOME_ACCOUNT)
                        .put("type", "AWS::S3::Bucket")
                        .put("ARN", "arn:aws:s3:::stint-demo")));
    JsonObject list = logged.get(1).getValue().record(SigningKeys.HOME_ACCOUNT);
    assertThat(list.getJsonArray("resources").getJsonObject(0).getString("ARNPrefix"))
        .isEqualTo("arn:aws:s3:::stint-demo/reports/");
  }

  @Test
  void aRefusedReadIsLoggedWithItsErrorCode() {
    S3Client client = s3(session());
    assertThatThrownBy(() -> client.getObject(b -> b.bucket(DemoBucket.NAME).key("missing.txt")))
        .isInstanceOf(S3Exception.class);

    CloudTrailEvent refused = logged.get(0).getValue();
    assertThat(refused.eventName()).isEqualTo("GetObject");
    assertThat(refused.errorCode()).isEqualTo("NoSuchKey");
    assertThat(refused.data()).isTrue();
  }

  @Test
  void aDataEventReachesTheIngestInEventBridgesEnvelopeAndStintReadsItAsTheSessionsCall()
      throws Exception {
    BlockingQueue<Received> bodies = receiver(new AtomicInteger(0), 200);
    EventBridgePush push = new EventBridgePush(ingest(), TOKEN);
    Credentials session = session();
    s3.logTo((account, event) -> push.push(account, event));

    s3(session).getObjectAsBytes(b -> b.bucket(DemoBucket.NAME).key("hello.txt"));

    Received got = bodies.poll(Patience.seconds(30), TimeUnit.MILLISECONDS);
    assertThat(got).as("the push arrived").isNotNull();
    assertThat(got.authorization()).isEqualTo("Bearer " + TOKEN);
    JsonObject envelope = new JsonObject(got.body());
    assertThat(envelope.getString("detail-type")).isEqualTo("AWS API Call via CloudTrail");
    assertThat(envelope.getString("source")).isEqualTo("aws.s3");
    assertThat(envelope.getString("account")).isEqualTo(SigningKeys.HOME_ACCOUNT);
    assertThat(envelope.getString("region")).isEqualTo(DemoBucket.REGION);
    Call call =
        CloudTrailRecords.delivered(got.body().getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(call.dataEvent()).isTrue();
    assertThat(call.account()).contains(SigningKeys.HOME_ACCOUNT);
    assertThat(call.source()).isEqualTo("s3.amazonaws.com");
    assertThat(call.name()).isEqualTo("GetObject");
    assertThat(call.accessKeyId()).contains(session.accessKeyId());
    assertThat(call.callerSourceIdentity()).contains(SOURCE_IDENTITY);
  }

  @Test
  void aServerErrorIsDeliveredAgainAndARefusalIsNot() throws Exception {
    AtomicInteger failFirst = new AtomicInteger(1);
    BlockingQueue<Received> bodies = receiver(failFirst, 503);
    EventBridgePush push = new EventBridgePush(ingest(), TOKEN);
    CloudTrailEvent event = dataEvent();

    assertThat(
            push.push(SigningKeys.HOME_ACCOUNT, event)
                .get(Patience.seconds(60), TimeUnit.MILLISECONDS))
        .isEqualTo(200);
    assertThat(bodies).hasSize(2);
    assertThat(push.delivered()).isEqualTo(1);

    bodies.clear();
    EventBridgePush wrong = new EventBridgePush(ingest(), "not-the-token");
    failFirst.set(0);
    assertThat(
            wrong
                .push(SigningKeys.HOME_ACCOUNT, event)
                .get(Patience.seconds(60), TimeUnit.MILLISECONDS))
        .isEqualTo(401);
    assertThat(bodies).as("a 4xx is never sent again").hasSize(1);
    assertThat(wrong.refused()).isEqualTo(1);
  }

  /** One delivery as the ingest received it. */
  record Received(String authorization, String body) {}

  /**
   * A loopback ingest that answers {@code failStatus} to the first {@code failFirst} deliveries,
   * then 200 to the token's and 401 to any other; each delivery is queued.
   */
  private BlockingQueue<Received> receiver(AtomicInteger failFirst, int failStatus)
      throws IOException {
    BlockingQueue<Received> out = new LinkedBlockingQueue<>();
    ingest = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ingest.createContext(
        DemoStack.INGEST_PATH,
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          out.add(new Received(auth, body));
          int status =
              failFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                  ? failStatus
                  : ("Bearer " + TOKEN).equals(auth) ? 200 : 401;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    ingest.start();
    return out;
  }

  private URI ingest() {
    return URI.create("http://127.0.0.1:" + ingest.getAddress().getPort() + DemoStack.INGEST_PATH);
  }

  private CloudTrailEvent dataEvent() {
    return CloudTrailEvent.builder("s3.amazonaws.com", "GetObject")
        .time(clock.instant())
        .region(DemoBucket.REGION)
        .accessKeyId("ASIASESSIONKEY000001")
        .assumedRole("demo-admin", "alice")
        .sourceIdentity(SOURCE_IDENTITY)
        .data()
        .build();
  }

  private Credentials session() {
    try (StsClient client =
        StsClient.builder()
            .httpClient(http)
            .endpointOverride(sts.uri())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIASTINTTESTKEY0001", "stint-test-secret")))
            .build()) {
      return client
          .assumeRole(
              b ->
                  b.roleArn(ROLE)
                      .roleSessionName("alice")
                      .sourceIdentity(SOURCE_IDENTITY)
                      .tags(t -> t.key("stint:grant").value("grt_1")))
          .credentials();
    }
  }

  private S3Client s3(Credentials c) {
    return S3Client.builder()
        .httpClient(http)
        .endpointOverride(s3.uri())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
        .build();
  }
}
