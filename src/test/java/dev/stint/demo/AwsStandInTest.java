package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stand-ins' HTTP side: what is recorded, and what a failing or late answer does. */
class AwsStandInTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final StsStandIn sts = new StsStandIn(Clock.systemUTC());
  private AwsStandIn late;

  @AfterEach
  void stop() {
    sts.close();
    if (late != null) {
      late.close();
    }
  }

  private HttpResponse<String> post(URI uri, String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Amz-Date", "20261123T120000Z")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void callsAreRecordedWithQueryAndFormParametersAndHeadersFoundInAnyCase() throws Exception {
    HttpResponse<String> r =
        post(
            sts.uri().resolve("/?Version=2011-06-15"),
            "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fx"
                + "&RoleSessionName=s1&DurationSeconds=900");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
    AwsStandIn.Call call = sts.onlyCall("AssumeRole");
    assertThat(call.param("Version")).isEqualTo("2011-06-15");
    assertThat(call.param("RoleArn")).isEqualTo("arn:aws:iam::111122223333:role/x");
    assertThat(call.headers().get("x-amz-date")).containsExactly("20261123T120000Z");
    assertThat(call.headers()).containsKey("X-AMZ-DATE");
    assertThat(r.body()).contains("<AccessKeyId>" + sts.issued().get(0).accessKeyId());
  }

  @Test
  void anAnswerThatCannotBeMadeIsA500NotAHang() throws Exception {
    late =
        new AwsStandIn() {
          @Override
          protected Answer answer(Call call) {
            throw new IllegalStateException("no answer");
          }
        };
    HttpResponse<String> r = post(late.uri(), "Action=AssumeRole");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("<Code>InternalFailure</Code>");
  }

  @Test
  void stsRefusesMalformedSessionNamesSourceIdentitiesTagsAndDurations() throws Exception {
    String ok =
        "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx&DurationSeconds=900"
            + "&RoleSessionName=jane%40example.com";
    assertThat(
            post(
                    sts.uri(),
                    ok
                        + "&SourceIdentity=a1.grt_x&Tags.member.1.Key=stint%3Agrant"
                        + "&Tags.member.1.Value=grt_x")
                .statusCode())
        .isEqualTo(200);
    for (String bad :
        List.of(
            "&SourceIdentity=jane%20doe",
            "&SourceIdentity=a",
            "&SourceIdentity=" + "a".repeat(65),
            "&SourceIdentity=aws%3Ax",
            "&Tags.member.1.Key=k&Tags.member.1.Value=" + "v".repeat(257),
            "&Tags.member.1.Key=k&Tags.member.1.Value=a%3Cb",
            "&Tags.member.1.Key=aws%3Ax&Tags.member.1.Value=v",
            "&Tags.member.1.Key=K&Tags.member.1.Value=v&Tags.member.2.Key=k&Tags.member.2.Value=v")) {
      HttpResponse<String> r = post(sts.uri(), ok + bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.body()).as(bad).contains("<Code>ValidationError</Code>");
    }
    assertThat(post(sts.uri(), ok.replace("900", "899")).statusCode()).isEqualTo(400);
    assertThat(post(sts.uri(), ok.replace("jane%40example.com", "jane%20doe")).statusCode())
        .isEqualTo(400);
  }

  @Test
  void stsChecksTheSourceIdentityAndTagsAWebIdentityTokenCarries() throws Exception {
    String form =
        "Action=AssumeRoleWithWebIdentity&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx"
            + "&RoleSessionName=s1&WebIdentityToken=";
    assertThat(
            post(
                    sts.uri(),
                    form
                        + token(
                            "{\"https://aws.amazon.com/source_identity\":"
                                + "\"a1.grt_x\",\"https://aws.amazon.com/tags\":{\"principal_tags\":"
                                + "{\"stint:grant\":[\"grt_x\"]}}}"))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            post(
                    sts.uri(),
                    form + token("{\"https://aws.amazon.com/source_identity\":" + "\"jane doe\"}"))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            post(
                    sts.uri(),
                    form
                        + token(
                            "{\"https://aws.amazon.com/tags\":{\"principal_tags\":"
                                + "{\"k\":[\"a<b\"]}}}"))
                .statusCode())
        .isEqualTo(400);
  }

  private static String token(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".c2ln";
  }

  @Test
  void iamRefusesMalformedPoliciesAndARoleOverItsInlineSizeLimit() throws Exception {
    IamStandIn iam = new IamStandIn().createRole("r");
    try {
      assertThat(put(iam, "p", policy("Ok1", 10)).statusCode()).isEqualTo(200);
      HttpResponse<String> badSid = put(iam, "p", policy("not-ok", 10));
      assertThat(badSid.body()).contains("<Code>MalformedPolicyDocument</Code>");
      assertThat(put(iam, "p", "{\"Statement\":[]}").body())
          .contains("<Code>MalformedPolicyDocument</Code>");
      assertThat(put(iam, "p", "not json").statusCode()).isEqualTo(400);
      // The limit counts every inline policy of the role, whitespace excluded.
      assertThat(put(iam, "p", policy("Big", 6_000)).statusCode()).isEqualTo(200);
      HttpResponse<String> over = put(iam, "q", policy("Other", 5_000));
      assertThat(over.statusCode()).isEqualTo(409);
      assertThat(over.body()).contains("<Code>LimitExceeded</Code>");
      assertThat(iam.policy("r", "q")).isEmpty();
      assertThat(put(iam, "p", policy("Big", 10_000) + " ".repeat(500)).statusCode())
          .isEqualTo(200);
      assertThat(put(iam, "p", policy("Big", 10_200)).statusCode()).isEqualTo(409);
    } finally {
      iam.close();
    }
  }

  private HttpResponse<String> put(IamStandIn iam, String name, String document) throws Exception {
    return post(
        iam.uri(),
        "Action=PutRolePolicy&RoleName=r&PolicyName="
            + name
            + "&PolicyDocument="
            + URLEncoder.encode(document, StandardCharsets.UTF_8));
  }

  /** A policy of about {@code size} characters. */
  private static String policy(String sid, int size) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\""
        + sid
        + "\",\"Effect\":"
        + "\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
        + "{\"aws:SourceIdentity\":\""
        + "x".repeat(size)
        + "\"}}}]}";
  }

  @Test
  void aLateAnswerComesAfterItsDelay() throws Exception {
    late =
        new AwsStandIn() {
          @Override
          protected Answer answer(Call call) {
            return new Answer(200, "text/plain", "late").after(Duration.ofMillis(300));
          }
        };
    long start = System.nanoTime();
    HttpResponse<String> r = post(late.uri(), "Action=Anything");

    assertThat(r.body()).isEqualTo("late");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }
}
