package dev.stint.notify;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.access.AccessRequest;
import dev.stint.config.StintConfig;
import dev.stint.finding.Finding;
import dev.stint.finding.rules.EventRef;
import dev.stint.finding.rules.Origin;
import dev.stint.identity.Person;
import dev.stint.outbox.DurableListener;
import dev.stint.policy.FindingMode;
import dev.stint.policy.FindingRule;
import dev.stint.policy.FindingSeverity;
import dev.stint.testing.FakeTeams;
import dev.stint.testing.Patience;
import dev.stint.testing.Requests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A live finding told to the signed webhooks (a JSON body with the finding's fields, signed as
 * every delivery is), to a Slack incoming webhook (one escaped line) and to Teams (a card whose
 * supplied values cannot become markup), each naming its severity, rule, sentence, what was done
 * and the lease's page, and each delivery's attempts carrying one delivery id.
 */
class FindingNoticesTest {
  static final Instant NOW = Instant.parse("2026-03-02T10:00:01Z");
  static final String SECRET = "a-webhook-secret-of-32-characters";
  static final PageLinks PAGES = new PageLinks(URI.create("https://stint.example.com"));
  static final ObjectMapper JSON = new ObjectMapper();

  record Received(Map<String, String> headers, byte[] body) {}

  Vertx vertx;
  HttpServer receiver;
  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  WebhookNotifier notifier;
  FakeTeams teams;

  static final Finding FINDING =
      new Finding(
          "fnd_aaaaaaaaaaaaaaaaaaaaaaaaaa",
          FindingRule.byId("escape").orElseThrow(),
          FindingSeverity.HIGH,
          FindingMode.LIVE,
          new Origin(
              "crd_1",
              "req_1",
              "grt_1",
              Optional.of("lse_1"),
              new Origin.Holder("https://idp.test", "alice"),
              "prod"),
          List.of(
              new EventRef("ev-1", "CreateAccessKey", "iam.amazonaws.com", NOW.minusSeconds(1))),
          "escape: iam:CreateAccessKey makes a credential [a link](https://evil.example)",
          NOW,
          Finding.Action.LEASE_ENDED,
          Optional.empty());

  static final Function<String, Future<Optional<AccessRequest>>> REQUESTS =
      id ->
          Future.succeededFuture(
              Optional.of(
                  Requests.approved(id)
                      .requester(
                          new Person("https://idp.test", "alice", Optional.of("alice@example.com")))
                      .reason("INC-7 <!channel> **bold**")
                      .build()));

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    receiver =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              Map<String, String> headers = new HashMap<>();
                              req.headers()
                                  .forEach(
                                      h ->
                                          headers.put(
                                              h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
                              received.add(new Received(headers, body.getBytes()));
                              req.response().setStatusCode(204).end();
                            }))
            .listen(0, "127.0.0.1")
            .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    teams = new FakeTeams();
  }

  @AfterEach
  void stop() throws Exception {
    if (notifier != null) {
      notifier.close();
    }
    teams.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  private WebhookNotifier.Target target(String path, boolean slack) {
    URI url = URI.create("http://127.0.0.1:" + receiver.actualPort() + path);
    WebhookNotifier.Target t =
        new WebhookNotifier.Target(url, slack ? Optional.empty() : Optional.of(SECRET), slack);
    notifier =
        new WebhookNotifier(
            vertx, List.of(t), Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC));
    return t;
  }

  private Received one() throws InterruptedException {
    Received r = received.poll(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThat(r).as("a delivery").isNotNull();
    return r;
  }

  @Test
  void aSignedWebhookGetsTheFindingsFieldsAndEveryAttemptOneDeliveryId() throws Exception {
    WebhookNotifier.Target t = target("/hook", false);
    WebhookFindingNews news = new WebhookFindingNews(notifier, t, REQUESTS, PAGES);
    assertThat(news.name()).startsWith("notify.webhook.").endsWith(".finding");

    await(news.tell(FINDING, new DurableListener.Delivery(41, 1)));
    await(news.tell(FINDING, new DurableListener.Delivery(41, 2)));

    Received first = one();
    Received second = one();
    assertThat(first.headers().get("x-stint-delivery"))
        .isEqualTo(second.headers().get("x-stint-delivery"))
        .isEqualTo("41");
    assertThat(first.headers().get("x-stint-signature"))
        .isEqualTo(Signatures.sign(SECRET, NOW.getEpochSecond(), first.body()));
    JsonNode body = JSON.readTree(first.body());
    assertThat(body.get("event").asText()).isEqualTo("finding.raised");
    assertThat(body.get("finding_id").asText()).isEqualTo(FINDING.id());
    assertThat(body.get("rule").asText()).isEqualTo("escape");
    assertThat(body.get("severity").asText()).isEqualTo("high");
    assertThat(body.get("action").asText()).isEqualTo("lease_ended");
    assertThat(body.get("lease_id").asText()).isEqualTo("lse_1");
    assertThat(body.get("holder").asText()).isEqualTo("alice@example.com");
    assertThat(body.get("why").asText()).isEqualTo(FINDING.why());
    assertThat(body.get("done").asText()).startsWith("stint ends lease lse_1");
    assertThat(body.get("url").asText()).isEqualTo("https://stint.example.com/ui/leases/lse_1");
    assertThat(body.get("events").get(0).get("event_name").asText()).isEqualTo("CreateAccessKey");
  }

  @Test
  void aSlackIncomingWebhookGetsOneEscapedLineWithThePage() throws Exception {
    WebhookNotifier.Target t = target("/services/T/B/X", true);
    WebhookFindingNews news = new WebhookFindingNews(notifier, t, REQUESTS, PAGES);
    assertThat(news.name()).isEqualTo("notify.slack.finding");

    await(news.tell(FINDING, new DurableListener.Delivery(42, 1)));

    String text = JSON.readTree(one().body()).get("text").asText();
    assertThat(text)
        .startsWith("High finding escape on alice@example.com's access to prod (request req_1,")
        .contains("Done: stint ends lease lse_1")
        .endsWith("<https://stint.example.com/ui/leases/lse_1|Open in stint>");
  }

  @Test
  void teamsGetsACardWhoseSuppliedValuesStayText() throws Exception {
    TeamsListener listener =
        new TeamsListener(
            vertx, new StintConfig.TeamsWebhook(teams.url()), PAGES::link, Duration.ofSeconds(5));
    TeamsFindingNews news = new TeamsFindingNews(listener, REQUESTS, PAGES);
    assertThat(news.name()).isEqualTo("notify.teams.finding");

    await(news.tell(FINDING, new DurableListener.Delivery(43, 1)));

    FakeTeams.Post post = teams.posts().get(0);
    assertThat(post.headers().get("x-stint-delivery")).isEqualTo("43");
    assertThat(post.text())
        .contains("High finding " + FINDING.id() + ": escape")
        .contains("Holder: alice@example.com")
        .contains("Reason: INC-7 <!channel> ∗∗bold∗∗")
        .contains("makes a credential ［a link］(https://evil.example)")
        .contains("Done: stint ends lease lse_1");
    assertThat(post.card().path("actions").get(0).path("url").asText())
        .isEqualTo("https://stint.example.com/ui/leases/lse_1");
    listener.close();
  }
}
