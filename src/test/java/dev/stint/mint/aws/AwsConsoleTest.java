package dev.stint.mint.aws;

import static dev.stint.mint.aws.AwsMinterTest.FAST_CALLS;
import static dev.stint.mint.aws.AwsMinterTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.error.ErrorCode;
import dev.stint.mint.ConsoleSignIn;
import dev.stint.mint.MintException;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeSignin;
import dev.stint.testing.Patience;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AwsConsoleTest {
  private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
  private final FakeSignin signin = new FakeSignin();
  private final AwsConsole console =
      new AwsConsole(
          new AwsSettings(
              Optional.empty(), Optional.empty(), Optional.empty(), signin.uri(), FAST_CALLS),
          URI.create("https://stint.example.com"),
          Clock.fixed(now, ZoneOffset.UTC));

  /** With AWS's own sign-in endpoint configured: each partition then uses its own. */
  private final AwsConsole real =
      new AwsConsole(
          new AwsSettings(
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              AwsSettings.DEFAULT_SIGNIN,
              FAST_CALLS),
          URI.create("https://stint.example.com"),
          Clock.fixed(now, ZoneOffset.UTC));

  private final AwsSession session =
      new AwsSession(
          "ASIAEXAMPLE",
          "secret/key+1",
          "token==",
          now.plus(Duration.ofHours(1)),
          now.plus(Duration.ofHours(1)),
          "arn:aws:iam::111122223333:role/prod-admin",
          "jane",
          "0123456789abcdef.g-1",
          Optional.empty());

  @AfterEach
  void stop() {
    signin.close();
  }

  private AwsConsole.Request request(Optional<String> destination, Instant grantEnds) {
    return new AwsConsole.Request(
        session,
        "aws-prod-admin",
        new AwsConsole.Landing(AwsPartition.AWS, destination, Optional.empty()),
        grantEnds);
  }

  @Test
  void buildsTheLoginUrlFromASigninToken() throws Exception {
    ConsoleSignIn.Link link =
        console
            .link(
                request(
                    Optional.of(
                        "https://eu-west-1.console.aws.amazon.com/s3/home?region=eu-west-1"),
                    now.plus(Duration.ofHours(8))))
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    Call call = signin.onlyCall("getSigninToken");
    assertThat(call.path()).isEqualTo("/federation");
    assertThat(call.param("SessionDuration")).isEqualTo("3600");
    assertThat(new ObjectMapper().readValue(call.param("Session"), Map.class))
        .isEqualTo(
            Map.of(
                "sessionId",
                "ASIAEXAMPLE",
                "sessionKey",
                "secret/key+1",
                "sessionToken",
                "token=="));
    assertThat(link.url().toString())
        .startsWith(
            signin.uri()
                + "/federation?Action=login"
                + "&Issuer=https%3A%2F%2Fstint.example.com"
                + "&Destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fs3%2Fhome%3Fregion%3Deu-west-1"
                + "&SigninToken=signin-");
    String token =
        URLDecoder.decode(
            link.url().getRawQuery().replaceAll(".*SigninToken=", ""), StandardCharsets.UTF_8);
    assertThat(signin.issuedFor(token)).isNotNull();
    assertThat(link.sessionExpiresAt()).isEqualTo(now.plus(Duration.ofHours(1)));
    assertThat(link.linkExpiresAt()).isEqualTo(now.plus(Duration.ofMinutes(15)));
    assertThat(link.toString()).doesNotContain("signin-");
    HttpResponse<String> login =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(link.url()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(200);
  }

  @Test
  void theConsoleSessionEndsWithTheGrantButLastsAtLeast900Seconds() throws Exception {
    ConsoleSignIn.Link soon =
        console
            .link(request(Optional.empty(), now.plus(Duration.ofMinutes(20))))
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    ConsoleSignIn.Link verySoon =
        console
            .link(request(Optional.empty(), now.plus(Duration.ofMinutes(2))))
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    assertThat(signin.calls())
        .extracting(c -> c.param("SessionDuration"))
        .containsExactly("1200", "900");
    assertThat(soon.url().toString())
        .contains("&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&");
    assertThat(verySoon.sessionExpiresAt()).isEqualTo(now.plusSeconds(900));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://console.aws.amazon.com/",
        "https://evil.example.com/",
        "https://console.aws.amazon.com.evil.example.com/",
        "https://user@console.aws.amazon.com/",
        "javascript:alert(1)",
        "https://notconsole.aws.amazon.com/",
        "not a url",
        "//evil.example.com/x",
        "https://console.aws.amazon.com:8443/",
        "https://console.amazonaws.cn/",
        "s3/home"
      })
  void refusesDestinationsOutsideTheConsole(String destination) {
    MintException e =
        failure(console.link(request(Optional.of(destination), now.plus(Duration.ofHours(1)))));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e.detail())
        .isEqualTo("destination must be a path or an https URL on console.aws.amazon.com");
    assertThat(signin.calls()).isEmpty();
  }

  @Test
  void anEndedGrantGetsNoLink() {
    MintException e = failure(console.link(request(Optional.empty(), now.minusSeconds(1))));

    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void signinErrorsAreMapped() {
    signin.failWith(400);
    MintException refused =
        failure(console.link(request(Optional.empty(), now.plus(Duration.ofHours(1)))));
    signin.failWith(503);
    MintException down =
        failure(console.link(request(Optional.empty(), now.plus(Duration.ofHours(1)))));

    assertThat(refused.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(refused.detail())
        .isEqualTo("AWS sign-in refused to issue credentials for profile aws-prod-admin");
    assertThat(down.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
  }

  /** Each partition's sign-in and console hosts, from the role ARN's partition field. */
  @ParameterizedTest
  @CsvSource({
    "arn:aws:iam::111122223333:role/r, https://signin.aws.amazon.com, https://console.aws.amazon.com/, eu-west-1",
    "arn:aws-us-gov:iam::111122223333:role/r, https://signin.amazonaws-us-gov.com,"
        + " https://console.amazonaws-us-gov.com/, us-gov-west-1",
    "arn:aws-cn:iam::111122223333:role/r, https://signin.amazonaws.cn, https://console.amazonaws.cn/, cn-north-1"
  })
  void eachPartitionSignsInOnItsOwnHostsAndTakesItsRegions(
      String arn, String signinHost, String consoleHome, String region) {
    AwsPartition partition = AwsPartition.ofArn(arn).orElseThrow();

    assertThat(real.signin(partition)).isEqualTo(URI.create(signinHost));
    assertThat(console.signin(partition)).isEqualTo(signin.uri());
    assertThat(real.destination(AwsConsole.Landing.home(partition)))
        .isEqualTo(URI.create(consoleHome));
    assertThat(
            real.destination(
                new AwsConsole.Landing(partition, Optional.empty(), Optional.of(region))))
        .isEqualTo(URI.create(consoleHome + "console/home?region=" + region));
    assertThat(
            real.destination(
                new AwsConsole.Landing(
                    partition, Optional.of("/s3/buckets?x=1#top"), Optional.of(region))))
        .isEqualTo(URI.create(consoleHome + "s3/buckets?x=1&region=" + region + "#top"));
    String regional =
        consoleHome.replace("https://", "https://" + region + ".") + "ec2/home?region=" + region;
    assertThat(
            real.destination(
                new AwsConsole.Landing(partition, Optional.of(regional), Optional.of(region))))
        .isEqualTo(URI.create(regional));
  }

  @ParameterizedTest
  @CsvSource({
    "AWS, cn-north-1",
    "AWS, us-gov-west-1",
    "CHINA, eu-west-1",
    "US_GOV, us-east-1",
    "AWS, eu-west",
    "AWS, EU-WEST-1",
    "AWS, eu-west-1&x=y"
  })
  void refusesRegionsOutsideThePartition(AwsPartition partition, String region) {
    assertThatThrownBy(
            () ->
                real.destination(
                    new AwsConsole.Landing(partition, Optional.empty(), Optional.of(region))))
        .isInstanceOf(MintException.class)
        .hasMessageContaining(
            "region must be an AWS region of the " + partition.id() + " partition");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws-iso:iam::1:role/r",
        "arn:aws-iso-b:iam::1:role/r",
        "arn",
        "aws:iam::1:role/r",
        ""
      })
  void partitionsWithoutAPublicConsoleAreNotKnown(String arn) {
    assertThat(AwsPartition.ofArn(arn)).isEmpty();
  }

  @Test
  void aGovCloudSessionSignsInThroughItsPartition() throws Exception {
    ConsoleSignIn.Link link =
        console
            .link(
                new AwsConsole.Request(
                    session,
                    "gov",
                    new AwsConsole.Landing(
                        AwsPartition.US_GOV,
                        Optional.of("/iam/home"),
                        Optional.of("us-gov-east-1")),
                    now.plus(Duration.ofHours(1))))
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    assertThat(link.url().toString())
        .contains(
            "&Destination=https%3A%2F%2Fconsole.amazonaws-us-gov.com"
                + "%2Fiam%2Fhome%3Fregion%3Dus-gov-east-1&");
  }
}
