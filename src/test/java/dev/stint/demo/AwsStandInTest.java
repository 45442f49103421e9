package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
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
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Amz-Date", "20261123T120000Z")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void callsAreRecordedWithQueryAndFormParametersAndHeadersFoundInAnyCase() throws Exception {
    HttpResponse<String> r = post(sts.uri().resolve("/?Version=2011-06-15"),
        "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fx"
            + "&RoleSessionName=s&DurationSeconds=900");

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
    HttpResponse<String> r = post(sts.uri(), "Action=AssumeRole&DurationSeconds=soon");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("<Code>InternalFailure</Code>");
  }

  @Test
  void aLateAnswerComesAfterItsDelay() throws Exception {
    late = new AwsStandIn() {
      @Override
      protected Answer answer(Call call) {
        return new Answer(200, "text/plain", "late").after(Duration.ofMillis(300));
      }
    };
    long start = System.nanoTime();
    HttpResponse<String> r = post(late.uri(), "Action=Anything");

    assertThat(r.body()).isEqualTo("late");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(
        Duration.ofMillis(300));
  }
}
