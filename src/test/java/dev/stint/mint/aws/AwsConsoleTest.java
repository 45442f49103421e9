package dev.stint.mint.aws;

import static dev.stint.mint.aws.AwsMinterTest.FAST_CALLS;
import static dev.stint.mint.aws.AwsMinterTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.error.ErrorCode;
import dev.stint.mint.MintException;
import dev.stint.demo.AwsStandIn.Call;
import dev.stint.testing.FakeSignin;
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
import org.junit.jupiter.params.provider.ValueSource;

class AwsConsoleTest {
  private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
  private final FakeSignin signin = new FakeSignin();
  private final AwsConsole console = new AwsConsole(new AwsSettings(Optional.empty(), Optional.empty(),
      Optional.empty(), signin.uri(), FAST_CALLS), URI.create("https://stint.example.com"),
      AwsConsole.DEFAULT_CONSOLE_DOMAIN, Clock.fixed(now, ZoneOffset.UTC));
  private final AwsSession session = new AwsSession("ASIAEXAMPLE", "secret/key+1", "token==",
      now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)));

  @AfterEach
  void stop() {
    signin.close();
  }

  private AwsConsole.Request request(Optional<String> destination, Instant grantEnds) {
    return new AwsConsole.Request(session, "aws-prod-admin", destination, grantEnds);
  }

  @Test
  void buildsTheLoginUrlFromASigninToken() throws Exception {
    AwsConsole.Link link = console.link(request(
        Optional.of("https://eu-west-1.console.aws.amazon.com/s3/home?region=eu-west-1"),
        now.plus(Duration.ofHours(8)))).get(10, TimeUnit.SECONDS);

    Call call = signin.onlyCall("getSigninToken");
    assertThat(call.path()).isEqualTo("/federation");
    assertThat(call.param("SessionDuration")).isEqualTo("3600");
    assertThat(new ObjectMapper().readValue(call.param("Session"), Map.class)).isEqualTo(Map.of(
        "sessionId", "ASIAEXAMPLE", "sessionKey", "secret/key+1", "sessionToken", "token=="));
    assertThat(link.url().toString()).startsWith(signin.uri() + "/federation?Action=login"
        + "&Issuer=https%3A%2F%2Fstint.example.com"
        + "&Destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fs3%2Fhome%3Fregion%3Deu-west-1"
        + "&SigninToken=signin-");
    String token = URLDecoder.decode(link.url().getRawQuery().replaceAll(".*SigninToken=", ""),
        StandardCharsets.UTF_8);
    assertThat(signin.issuedFor(token)).isNotNull();
    assertThat(link.sessionExpiresAt()).isEqualTo(now.plus(Duration.ofHours(1)));
    assertThat(link.linkExpiresAt()).isEqualTo(now.plus(Duration.ofMinutes(15)));
    assertThat(link.toString()).doesNotContain("signin-");
    HttpResponse<String> login = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(link.url()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(200);
  }

  @Test
  void theConsoleSessionEndsWithTheGrantButLastsAtLeast900Seconds() throws Exception {
    AwsConsole.Link soon = console.link(request(Optional.empty(), now.plus(Duration.ofMinutes(20))))
        .get(10, TimeUnit.SECONDS);
    AwsConsole.Link verySoon = console.link(request(Optional.empty(), now.plus(Duration.ofMinutes(2))))
        .get(10, TimeUnit.SECONDS);

    assertThat(signin.calls()).extracting(c -> c.param("SessionDuration")).containsExactly("1200", "900");
    assertThat(soon.url().toString()).contains("&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&");
    assertThat(verySoon.sessionExpiresAt()).isEqualTo(now.plusSeconds(900));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://console.aws.amazon.com/", "https://evil.example.com/",
      "https://console.aws.amazon.com.evil.example.com/", "https://user@console.aws.amazon.com/",
      "javascript:alert(1)", "https://notconsole.aws.amazon.com/", "not a url", "/s3/home"})
  void refusesDestinationsOutsideTheConsole(String destination) {
    MintException e = failure(console.link(request(Optional.of(destination), now.plus(Duration.ofHours(1)))));

    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(e.detail()).isEqualTo("destination must be an https URL on console.aws.amazon.com");
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
    MintException refused = failure(console.link(request(Optional.empty(), now.plus(Duration.ofHours(1)))));
    signin.failWith(503);
    MintException down = failure(console.link(request(Optional.empty(), now.plus(Duration.ofHours(1)))));

    assertThat(refused.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(refused.detail()).isEqualTo("AWS sign-in refused to issue credentials for profile aws-prod-admin");
    assertThat(down.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
  }
}
