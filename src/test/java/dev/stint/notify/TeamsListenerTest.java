package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.RequestListener;
import dev.stint.config.StintConfig;
import dev.stint.identity.Person;
import dev.stint.outbox.DurableListener;
import dev.stint.testing.FakeTeams;
import dev.stint.testing.Patience;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One delivery against the stand-in: what is wanted, throttling fails the attempt, redaction. */
class TeamsListenerTest {
  static final URI PAGE = URI.create("https://stint.example.com/ui/requests/req_abc");
  Vertx vertx;
  FakeTeams teams;
  TeamsListener listener;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    teams = new FakeTeams();
    listener =
        new TeamsListener(
            vertx, new StintConfig.TeamsWebhook(teams.url()), id -> PAGE, Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() throws Exception {
    listener.close();
    teams.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  static RequestListener.Change change(String event, RequestState state) {
    return new RequestListener.Change(
        event,
        TeamsCardTest.request("INC-1", Optional.empty(), state),
        new Person("https://idp.test", "bob", Optional.empty()),
        Optional.empty(),
        TeamsCardTest.NOW);
  }

  @Test
  void onlyAWaitingRequestAndItsDecisionAreWanted() {
    assertThat(listener.wants(change("request.created", RequestState.PENDING))).isTrue();
    assertThat(listener.wants(change("request.created", RequestState.APPROVED)))
        .as("auto")
        .isFalse();
    assertThat(listener.wants(change("approval.recorded", RequestState.PENDING))).isFalse();
    for (String e : TeamsListener.DECIDED) {
      assertThat(listener.wants(change(e, RequestState.APPROVED))).as(e).isTrue();
    }
    assertThat(listener.wants(change("grant.expiring", RequestState.APPROVED))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 500, 503})
  void throttlingOrAServerErrorFailsTheAttemptWithoutShowingTheUrl(int status) throws Exception {
    teams.failNext(status);
    Throwable t =
        catchThrowable(
            () ->
                listener
                    .deliver(
                        change("request.created", RequestState.PENDING),
                        new DurableListener.Delivery(41, 1))
                    .await(Patience.seconds(10), TimeUnit.MILLISECONDS));
    assertThat(t)
        .hasMessageContaining("HTTP " + status)
        .hasMessageContaining("127.0.0.1")
        .hasMessageNotContaining(FakeTeams.SIG)
        .hasMessageNotContaining("workflows");
    listener
        .deliver(
            change("request.created", RequestState.PENDING), new DurableListener.Delivery(41, 2))
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThat(teams.posts()).hasSize(1);
    assertThat(teams.posts().get(0).headers().get("x-stint-delivery")).isEqualTo("41");
  }

  @Test
  void aWrongSignatureIsRefusedAndTheFailureDoesNotShowTheUrl() throws Exception {
    TeamsListener forged =
        new TeamsListener(
            vertx,
            new StintConfig.TeamsWebhook(
                URI.create(teams.url().toString().replace(FakeTeams.SIG, "wrong"))),
            id -> PAGE,
            Duration.ofSeconds(5));
    try {
      Throwable t =
          catchThrowable(
              () ->
                  forged
                      .deliver(
                          change("request.denied", RequestState.DENIED),
                          new DurableListener.Delivery(3, 1))
                      .await(Patience.seconds(10), TimeUnit.MILLISECONDS));
      assertThat(t).hasMessageContaining("HTTP 401").hasMessageNotContaining("wrong");
    } finally {
      forged.close();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "{\"type\":\"message\"}",
        "{\"type\":\"message\",\"attachments\":[]}",
        "{\"text\":\"hello\"}",
        "{\"type\":\"message\",\"attachments\":[{\"contentType\":\"text/plain\","
            + "\"content\":{\"type\":\"AdaptiveCard\",\"version\":\"1.4\",\"body\":[]}}]}",
        "{\"type\":\"message\",\"attachments\":[{\"contentType\":"
            + "\"application/vnd.microsoft.card.adaptive\",\"content\":{\"type\":\"Hero\"}}]}"
      })
  void theStandInRefusesWhatTeamsRefuses(String body) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(teams.url())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(teams.posts()).isEmpty();
  }

  @Test
  void aFailedAssignmentIsACardSayingWhyAndWhatToDo() throws Exception {
    RequestListener.Change failed =
        new RequestListener.Change(
            "assignment.failed",
            TeamsCardTest.request("INC-1", Optional.empty(), RequestState.APPROVED),
            new Person("stint", "system", Optional.empty()),
            Optional.of("no IAM Identity Center user named [x](https://evil.example) in d-1"),
            TeamsCardTest.NOW);
    assertThat(listener.wants(failed)).isTrue();

    listener
        .deliver(failed, new DurableListener.Delivery(7, 1))
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);

    assertThat(teams.posts())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.text())
                    .contains("cannot be used", "alice@example.com", "directory admins")
                    .contains("no IAM Identity Center user named")
                    .doesNotContain("[x](https://evil.example)"));
  }
}
