package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.standin.QueryRequest;
import dev.stint.standin.StandInReply;
import dev.stint.testing.TestJwtSigner;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's stand-ins over HTTP: what they answer and what they refuse as AWS does (the rules
 * themselves are StsRulesTest's, IamRulesTest's and their neighbours').
 */
class AwsStandInTest {
  static final String DATE = "20261123T120000Z";
  static final String SIGNATURE = "0123456789abcdef".repeat(4);

  private final HttpClient http = HttpClient.newHttpClient();
  private final TestJwtSigner tokens = new TestJwtSigner(Clock.systemUTC());
  private final StsStandIn sts = new StsStandIn(Clock.systemUTC()).trust(tokens.awsProvider());
  private AwsStandIn other;

  @AfterEach
  void stop() {
    sts.close();
    if (other != null) {
      other.close();
    }
  }

  /** A well-formed SigV4 Authorization for {@code service} (the stand-ins hold no secret). */
  static String authorization(String service, String region) {
    return "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEKEY000001/20261123/"
        + region
        + "/"
        + service
        + "/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="
        + SIGNATURE;
  }

  private HttpResponse<String> post(URI uri, String form, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Amz-Date", DATE)
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> sts(String form) throws Exception {
    return post(sts.uri(), form, authorization("sts", "us-east-1"));
  }

  static final String ASSUME =
      "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fx"
          + "&RoleSessionName=jane%40example.com&DurationSeconds=900";

  @Test
  void aSignedAssumeRoleGetsCredentialsTheStandInRemembers() throws Exception {
    HttpResponse<String> r =
        sts(
            ASSUME
                + "&SourceIdentity=a1.grt_x&Tags.member.1.Key=stint%3Agrant&Tags.member.1.Value=g");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
    assertThat(r.body())
        .contains("<AccessKeyId>" + sts.issued().get(0).accessKeyId())
        .contains("<SourceIdentity>a1.grt_x</SourceIdentity>")
        .contains("assumed-role/x/jane@example.com");
  }

  @Test
  void stsRefusesWhatStsRefuses() throws Exception {
    refused(post(sts.uri(), ASSUME, null), "403 MissingAuthenticationToken");
    refused(sts(ASSUME.replaceAll("&RoleArn=[^&]*", "")), "400 ValidationError");
    refused(sts(ASSUME.replace("jane%40example.com", "jane%20doe")), "400 ValidationError");
    refused(
        sts(ASSUME + "&Policy=" + form("{\"Version\":\"2012-10-17\",\"Statement\":[]}")),
        "400 MalformedPolicyDocument");
    assertThat(sts.issued()).isEmpty();
  }

  @Test
  void webIdentityNeedsNoSignatureButATokenOfATrustedProvider() throws Exception {
    String form =
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
            + "&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fx&RoleSessionName=s1"
            + "&WebIdentityToken=";
    String token = tokens.token("sts.amazonaws.com", "profile:p", Map.of());

    assertThat(post(sts.uri(), form + token, null).statusCode()).isEqualTo(200);
    TestJwtSigner stranger = new TestJwtSigner(Clock.systemUTC());
    refused(
        post(sts.uri(), form + stranger.token("sts.amazonaws.com", "profile:p", Map.of()), null),
        "400 InvalidIdentityToken");
    refused(
        post(sts.uri(), form + tokens.token("someone-else", "profile:p", Map.of()), null),
        "400 InvalidIdentityToken");
  }

  @Test
  void anAnswerThatCannotBeMadeIsA500NotAHang() throws Exception {
    other =
        new AwsStandIn() {
          @Override
          protected StandInReply answer(QueryRequest request) {
            throw new IllegalStateException("no answer");
          }
        };
    HttpResponse<String> r = post(other.uri(), "Action=AssumeRole", null);

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("<Code>InternalFailure</Code>");
  }

  @Test
  void iamStoresAPolicyAndRefusesAMalformedOneAndARoleOverItsInlineSizeLimit() throws Exception {
    IamStandIn iam = new IamStandIn().createRole("r");
    other = iam;
    assertThat(put(iam, "p", policy("Deny", 10)).statusCode()).isEqualTo(200);
    assertThat(iam.policy("r", "p")).contains(policy("Deny", 10));
    refused(put(iam, "q", policy("Dney", 10)), "400 MalformedPolicyDocument");
    refused(put(iam, "q", policy("Deny", 10_300)), "409 LimitExceeded");
    assertThat(iam.policy("r", "q")).isEmpty();
    HttpResponse<String> unsigned =
        post(iam.uri(), "Action=PutRolePolicy&Version=2010-05-08&RoleName=r&PolicyName=q", null);
    refused(unsigned, "403 MissingAuthenticationToken");
    HttpResponse<String> get =
        post(
            iam.uri(),
            "Action=GetRolePolicy&Version=2010-05-08&RoleName=r&PolicyName=p",
            authorization("iam", "us-east-1"));
    assertThat(get.body())
        .contains("<PolicyDocument>" + form(policy("Deny", 10)).replace("+", "%20"));
  }

  private HttpResponse<String> put(IamStandIn iam, String name, String document) throws Exception {
    return post(
        iam.uri(),
        "Action=PutRolePolicy&Version=2010-05-08&RoleName=r&PolicyName="
            + name
            + "&PolicyDocument="
            + form(document),
        authorization("iam", "us-east-1"));
  }

  /** A deny of about {@code size} characters. */
  static String policy(String effect, int size) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S1\",\"Effect\":\""
        + effect
        + "\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
        + "{\"aws:SourceIdentity\":\""
        + "x".repeat(size)
        + "\"}}}]}";
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void refused(HttpResponse<String> r, String statusAndCode) {
    List<String> expected = List.of(statusAndCode.split(" "));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(Integer.parseInt(expected.get(0)));
    assertThat(r.body()).contains("<Code>" + expected.get(1) + "</Code>");
  }
}
