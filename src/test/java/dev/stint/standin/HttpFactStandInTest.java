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

/** The fact provider stand-in answers the question's shape and refuses everything else. */
class HttpFactStandInTest {
  static final String TOKEN = "stand-in-token-123";

  final HttpFactStandIn provider = new HttpFactStandIn(TOKEN);
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    provider.close();
  }

  HttpResponse<String> post(URI uri, String authorization, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aQuestionIsAnsweredWithTheValueSetForItsFactAndArgument() throws Exception {
    provider.answer("team", "payments", true);
    provider.answer("employee", true);
    String bearer = "Bearer " + TOKEN;
    assertThat(post(provider.uri(), bearer, "{\"fact\":\"team\",\"argument\":\"payments\"}").body())
        .isEqualTo("{\"value\":true}");
    assertThat(post(provider.uri(), bearer, "{\"fact\":\"team\",\"argument\":\"ops\"}").body())
        .isEqualTo("{\"value\":false}");
    assertThat(post(provider.uri(), bearer, "{\"fact\":\"employee\",\"argument\":null}").body())
        .isEqualTo("{\"value\":true}");
    assertThat(provider.received())
        .first()
        .isEqualTo(new JsonObject().put("fact", "team").put("argument", "payments"));
  }

  @Test
  void aWrongTokenAnotherMethodOrPathAndABodyThatIsNotAnObjectAreRefused() throws Exception {
    String body = "{\"fact\":\"team\"}";
    assertThat(post(provider.uri(), null, body).statusCode()).isEqualTo(401);
    assertThat(post(provider.uri(), "Bearer wrong", body).statusCode()).isEqualTo(401);
    assertThat(post(provider.uri(), "Token token=" + TOKEN, body).statusCode()).isEqualTo(401);
    assertThat(post(URI.create(provider.uri() + "/other"), "Bearer " + TOKEN, body).statusCode())
        .isEqualTo(405);
    assertThat(post(provider.uri(), "Bearer " + TOKEN, "[1]").statusCode()).isEqualTo(400);
    assertThat(post(provider.uri(), "Bearer " + TOKEN, "nope").statusCode()).isEqualTo(400);
    assertThat(provider.received()).isEmpty();
    assertThat(provider.calls()).isEqualTo(6);
  }

  @Test
  void aThrottledCallSaysHowLongToWait() throws Exception {
    provider.throttle(1, Duration.ofSeconds(7));
    HttpResponse<String> throttled = post(provider.uri(), "Bearer " + TOKEN, "{}");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).contains("7");
    assertThat(post(provider.uri(), "Bearer " + TOKEN, "{}").statusCode()).isEqualTo(200);
  }
}
