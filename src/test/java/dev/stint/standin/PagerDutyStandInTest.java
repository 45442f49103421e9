package dev.stint.standin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The PagerDuty stand-in answers and refuses as PagerDuty's REST API reference says. */
class PagerDutyStandInTest {
  static final String TOKEN = "y_NbAkKc66ryYTWUXYEu";

  final PagerDutyStandIn pagerDuty = new PagerDutyStandIn(TOKEN);
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    pagerDuty.close();
  }

  HttpResponse<String> get(String pathAndQuery, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(pagerDuty.uri() + pathAndQuery))
            .header("Accept", "application/vnd.pagerduty+json;version=2");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return get(pathAndQuery, "Token token=" + TOKEN);
  }

  @Test
  void aMissingOrWrongTokenIsRefusedWithPagerDutysErrorObject() throws Exception {
    for (String authorization : new String[] {null, "Token token=wrong", "Bearer " + TOKEN}) {
      HttpResponse<String> answer = get("/oncalls", authorization);
      assertThat(answer.statusCode()).isEqualTo(401);
      JsonObject error = new JsonObject(answer.body()).getJsonObject("error");
      assertThat(error.getInteger("code")).isEqualTo(2006);
      assertThat(error.getString("message")).isNotBlank();
    }
    assertThat(pagerDuty.calls()).isEqualTo(3);
  }

  @Test
  void onCallsArePagedByLimitAndOffsetWithMoreAndANullTotal() throws Exception {
    pagerDuty.onCall("PSCHED1", "a@example.com", "b@example.com", "c@example.com");

    JsonObject first = new JsonObject(get("/oncalls?schedule_ids%5B%5D=PSCHED1&limit=2").body());
    assertThat(first.getJsonArray("oncalls")).hasSize(2);
    assertThat(first.getInteger("limit")).isEqualTo(2);
    assertThat(first.getInteger("offset")).isZero();
    assertThat(first.getBoolean("more")).isTrue();
    assertThat(first.containsKey("total")).isTrue();
    assertThat(first.getValue("total")).isNull();

    JsonObject last =
        new JsonObject(get("/oncalls?schedule_ids%5B%5D=PSCHED1&limit=2&offset=2").body());
    assertThat(last.getJsonArray("oncalls")).hasSize(1);
    assertThat(last.getBoolean("more")).isFalse();

    JsonObject counted =
        new JsonObject(get("/oncalls?schedule_ids%5B%5D=PSCHED1&total=true").body());
    assertThat(counted.getInteger("total")).isEqualTo(3);
    assertThat(counted.getInteger("limit")).isEqualTo(25);
  }

  @Test
  void aUsersEmailIsThereOnlyWhenUsersAreIncluded() throws Exception {
    pagerDuty.onCall("PSCHED1", "a@example.com");

    JsonObject reference =
        new JsonObject(get("/oncalls?schedule_ids%5B%5D=PSCHED1").body())
            .getJsonArray("oncalls")
            .getJsonObject(0)
            .getJsonObject("user");
    assertThat(reference.getString("type")).isEqualTo("user_reference");
    assertThat(reference.containsKey("email")).isFalse();

    JsonObject user =
        new JsonObject(get("/oncalls?schedule_ids%5B%5D=PSCHED1&include%5B%5D=users").body())
            .getJsonArray("oncalls")
            .getJsonObject(0)
            .getJsonObject("user");
    assertThat(user.getString("type")).isEqualTo("user");
    assertThat(user.getString("email")).isEqualTo("a@example.com");
  }

  @Test
  void anUnknownScheduleIsFilteredToNothingAndItsOwnPageIs404() throws Exception {
    pagerDuty.onCall("PSCHED1", "a@example.com");

    HttpResponse<String> filtered = get("/oncalls?schedule_ids%5B%5D=PNOPE01");
    assertThat(filtered.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(filtered.body()).getJsonArray("oncalls")).isEmpty();

    HttpResponse<String> schedule = get("/schedules/PNOPE01");
    assertThat(schedule.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(schedule.body()).getJsonObject("error").getInteger("code"))
        .isEqualTo(2100);
    assertThat(get("/schedules/PSCHED1").statusCode()).isEqualTo(200);
  }

  @Test
  void aThrottledCallIs429WithTheSecondsToWaitThenAnswersAgain() throws Exception {
    pagerDuty.onCall("PSCHED1", "a@example.com");
    pagerDuty.throttle(1, Duration.ofSeconds(7));

    HttpResponse<String> throttled = get("/oncalls");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("ratelimit-reset")).contains("7");
    assertThat(new JsonObject(throttled.body()).getJsonObject("error").getInteger("code"))
        .isEqualTo(2020);
    assertThat(get("/oncalls").statusCode()).isEqualTo(200);
  }

  @Test
  void aLimitThatIsNotANumberIsRefused() throws Exception {
    HttpResponse<String> answer = get("/oncalls?limit=lots");
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(answer.body()).getJsonObject("error").getInteger("code"))
        .isEqualTo(2001);
  }
}
