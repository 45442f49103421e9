package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.testing.Patience;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/**
 * The SDK's async STS client over {@link VertxSdkHttpClient}, against small servers that keep
 * exactly what arrived: the request on the wire must verify under SigV4 as AWS would check it, TLS
 * must verify the server, and an oversized answer is refused.
 */
class VertxSdkHttpClientTest {
  static final String KEY_ID = "AKIASTINTTRANSPORT01";
  static final String SECRET = "stint-transport-test-secret-not-real-000";
  static final String ANSWER =
      "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
          + "<AssumeRoleResult><Credentials><AccessKeyId>ASIATRANSPORT</AccessKeyId>"
          + "<SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
          + "<Expiration>2026-11-23T10:00:00Z</Expiration></Credentials></AssumeRoleResult>"
          + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></AssumeRoleResponse>";

  private final Vertx vertx = Vertx.vertx();
  private VertxSdkHttpClient transport;
  private StsAsyncClient sts;

  record Received(String method, String uri, MultiMap headers, Buffer body) {}

  @AfterEach
  void stop() throws Exception {
    if (sts != null) {
      sts.close();
    }
    if (transport != null) {
      transport.close();
    }
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  private HttpServer server(
      HttpServerOptions options, AtomicReference<Received> received, String answer)
      throws Exception {
    return vertx
        .createHttpServer(options.setHost("127.0.0.1").setPort(0))
        .requestHandler(
            req ->
                req.body()
                    .onSuccess(
                        body -> {
                          received.set(
                              new Received(
                                  req.method().name(),
                                  req.uri(),
                                  MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
                                  body));
                          req.response().putHeader("Content-Type", "text/xml").end(answer);
                        }))
        .listen()
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  private StsAsyncClient client(URI endpoint) {
    transport = new VertxSdkHttpClient(vertx, 4, Duration.ofSeconds(2));
    sts =
        StsAsyncClient.builder()
            .httpClient(transport)
            .region(Region.US_EAST_1)
            .endpointOverride(endpoint)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
            .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
            .build();
    return sts;
  }

  private static AssumeRoleResponse assumeRole(StsAsyncClient sts) {
    return sts.assumeRole(
            r ->
                r.roleArn("arn:aws:iam::111122223333:role/prod")
                    .roleSessionName("jane@example.com")
                    .sourceIdentity("jane@example.com")
                    .durationSeconds(900)
                    .policy("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
                    .tags(t -> t.key("stint:grant").value("grt_1")))
        .join();
  }

  @Test
  void theRequestOnTheWireVerifiesUnderSigV4AsSigned() throws Exception {
    var received = new AtomicReference<Received>();
    HttpServer server = server(new HttpServerOptions(), received, ANSWER);

    AssumeRoleResponse answer =
        assumeRole(client(URI.create("http://127.0.0.1:" + server.actualPort())));

    assertThat(answer.credentials().accessKeyId()).isEqualTo("ASIATRANSPORT");
    assertThat(answer.responseMetadata().requestId()).isEqualTo("req-1");
    Received wire = received.get();
    assertThat(wire.headers().getAll("Host")).hasSize(1);
    assertThat(wire.headers().getAll("Content-Length"))
        .containsExactly(Integer.toString(wire.body().length()));
    assertThat(wire.body().toString())
        .contains("Action=AssumeRole")
        .contains("RoleSessionName=jane%40example.com");

    // Sign what arrived, as AWS does, and compare with the signature that came with it.
    String authorization = wire.headers().get("Authorization");
    List<String> signedHeaders =
        Arrays.asList(authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1").split(";"));
    assertThat(signedHeaders).contains("host", "x-amz-date", "content-type");
    HostAndPort host = HostAndPort.parseAuthority(wire.headers().get("Host"), 80);
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(wire.method()))
            .protocol("http")
            .host(host.host())
            .port(host.port())
            .encodedPath(wire.uri());
    for (String name : signedHeaders) {
      if (!name.equals("host") && !name.equals("x-amz-date")) {
        request.putHeader(name, wire.headers().getAll(name));
      }
    }
    Instant signedAt =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .parse(wire.headers().get("X-Amz-Date"), Instant::from);
    String expected =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(KEY_ID, SECRET))
                        .request(request.build())
                        .payload(ContentStreamProvider.fromByteArray(wire.body().getBytes()))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(
                            HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)))
            .request()
            .firstMatchingHeader("Authorization")
            .orElseThrow();
    assertThat(authorization).isEqualTo(expected);
  }

  @Test
  void callsFromThreadsOutsideVertxAllGetTheirAnswers() throws Exception {
    // Regression: the answer handler was attached off the event loop, so a small answer could
    // end first; the call then hung until the SDK's timeout (seen in the bench as
    // outliers exactly that long).
    var received = new AtomicReference<Received>();
    HttpServer server = server(new HttpServerOptions(), received, ANSWER);
    StsAsyncClient client = client(URI.create("http://127.0.0.1:" + server.actualPort()));

    for (int i = 0; i < 300; i++) {
      assertThat(
              client
                  .assumeRole(
                      r -> r.roleArn("arn:aws:iam::111122223333:role/prod").roleSessionName("jane"))
                  .get(Patience.seconds(5), TimeUnit.MILLISECONDS)
                  .credentials()
                  .accessKeyId())
          .as("call %d", i)
          .isEqualTo("ASIATRANSPORT");
    }
  }

  @Test
  void aServerWhoseCertificateIsNotTrustedIsRefusedBeforeAnythingIsSent() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    var received = new AtomicReference<Received>();
    HttpServer server =
        server(
            new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()),
            received,
            ANSWER);

    StsAsyncClient client = client(URI.create("https://localhost:" + server.actualPort()));

    assertThatThrownBy(() -> assumeRole(client))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(SdkClientException.class)
        .rootCause()
        .hasMessageContaining("certification path");
    assertThat(received.get()).isNull();
  }

  @Test
  void anAnswerLargerThanAnyStsAnswerIsRefused() throws Exception {
    var received = new AtomicReference<Received>();
    String huge = "<x>" + "a".repeat(VertxSdkHttpClient.MAX_RESPONSE_BYTES) + "</x>";
    HttpServer server = server(new HttpServerOptions(), received, huge);

    StsAsyncClient client = client(URI.create("http://127.0.0.1:" + server.actualPort()));

    assertThatThrownBy(() -> assumeRole(client))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(SdkClientException.class)
        .hasMessageContaining("more than " + VertxSdkHttpClient.MAX_RESPONSE_BYTES + " bytes");
  }

  @Test
  void thePathAndQueryAreSentAsTheSdkEncodedThem() {
    SdkHttpRequest r =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .protocol("https")
            .host("sts.amazonaws.com")
            .encodedPath("/a%2Fb")
            .putRawQueryParameter("x", "1 2")
            .build();

    assertThat(VertxSdkHttpClient.pathAndQuery(r)).isEqualTo("/a%2Fb?x=1%202");
    assertThat(
            VertxSdkHttpClient.pathAndQuery(
                r.toBuilder().encodedPath("").clearQueryParameters().build()))
        .isEqualTo("/");
  }
}
