package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fakes' HTTP side: what is recorded, and what a late or held answer does. */
class FakeAwsEndpointTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private FakeAwsEndpoint fake;

  @AfterEach
  void stop() {
    fake.close();
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

  private static FakeAwsEndpoint answering(FakeAwsEndpoint.Answer answer) {
    return new FakeAwsEndpoint() {
      @Override
      protected Answer answer(Call call) {
        return answer;
      }
    };
  }

  @Test
  void callsAreRecordedWithQueryAndFormParametersAndHeadersFoundInAnyCase() throws Exception {
    fake = answering(new FakeAwsEndpoint.Answer(200, "text/plain", "ok"));

    HttpResponse<String> r =
        post(
            fake.uri().resolve("/?Version=2011-06-15"),
            "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fx"
                + "&RoleSessionName=s1&RoleSessionName=s2");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
    FakeAwsEndpoint.Call call = fake.onlyCall("AssumeRole");
    assertThat(call.param("Version")).isEqualTo("2011-06-15");
    assertThat(call.param("RoleArn")).isEqualTo("arn:aws:iam::111122223333:role/x");
    assertThat(call.param("RoleSessionName")).as("the first of a repeated name").isEqualTo("s1");
    assertThat(call.headers().get("x-amz-date")).containsExactly("20261123T120000Z");
    assertThat(call.headers()).containsKey("X-AMZ-DATE");
  }

  @Test
  void aLateAnswerComesAfterItsDelay() throws Exception {
    fake =
        answering(
            new FakeAwsEndpoint.Answer(200, "text/plain", "late").after(Duration.ofMillis(300)));
    long start = System.nanoTime();

    HttpResponse<String> r = post(fake.uri(), "Action=Anything");

    assertThat(r.body()).isEqualTo("late");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void aHeldAnswerWaitsForItsRelease() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    fake = answering(new FakeAwsEndpoint.Answer(200, "text/plain", "held").until(release));

    CompletableFuture<HttpResponse<String>> r =
        http.sendAsync(
            HttpRequest.newBuilder(fake.uri())
                .POST(HttpRequest.BodyPublishers.ofString("Action=Anything"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Eventually.until("the call arrives", Duration.ofSeconds(10), () -> fake.calls().size() == 1);
    assertThat(r).isNotDone();
    release.complete(null);

    assertThat(r.get().body()).isEqualTo("held");
  }

  @Test
  void anAnswerThatCannotBeMadeIsA500NotAHang() throws Exception {
    fake =
        new FakeAwsEndpoint() {
          @Override
          protected Answer answer(Call call) {
            throw new IllegalStateException("no answer");
          }
        };

    HttpResponse<String> r = post(fake.uri(), "Action=AssumeRole");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("<Code>InternalFailure</Code>");
  }
}
