package dev.stint.web;

import static dev.stint.finding.FindingsServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.finding.FindingsServer;
import dev.stint.finding.FindingsServer.Minted;
import dev.stint.notify.slack.SlackFindingMessage;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.FakeTeams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through the real server, ingest, findings' outbox, Slack client and Teams webhook: a lease's
 * escape pushed as EventBridge pushes it is told in the approvals channel, to its holder and to the
 * profile's approver by direct message (not to someone who may not revoke it), and to Teams; a
 * Revoke click by someone who may not revoke is refused and audited and changes nothing, the
 * approver's ends the lease (its session denied in IAM), is audited with the finding, and every
 * copy of the message then says who revoked it. A dry run's finding is told to nobody.
 */
class SlackFindingsEndToEndIT {
  static final String CHANNEL = "C0APPROVALS";
  static final String SECRET = "0123456789abcdef0123456789abcdef";
  static final Duration WAIT = Duration.ofSeconds(30);
  static FakeSlack slack;
  static FakeTeams teams;
  static FindingsServer s;

  @BeforeAll
  static void start() throws Exception {
    slack = new FakeSlack(CHANNEL).user("U0ALICE").user("U0BOB").user("U0CAROL");
    teams = new FakeTeams();
    Map<String, String> env = new HashMap<>(SlackClicks.settings(slack, SECRET, CHANNEL));
    env.put("STINT_SLACK_DM_APPROVERS", "true");
    env.put("STINT_TEAMS_WEBHOOK_URL", teams.url().toString());
    s = new FindingsServer(env);
    SlackClicks.link(s.server, s.idp, slack, "alice", "U0ALICE", "eng");
    SlackClicks.link(s.server, s.idp, slack, "bob", "U0BOB", "sre");
    SlackClicks.link(s.server, s.idp, slack, "carol", "U0CAROL", "eng");
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
    teams.close();
    slack.close();
  }

  /** The one finding of {@code request}, once raised: its id. */
  static String findingOf(String request) throws InterruptedException {
    String path = "/v1/requests/" + request + "/findings";
    eventually(
        () -> s.get("alice", "eng", path).body().path("findings").size() == 1,
        WAIT,
        "the finding of " + request);
    return s.get("alice", "eng", path).body().get("findings").get(0).get("id").asText();
  }

  static List<FakeSlack.Message> messagesOf(String findingId) {
    return slack.messages().stream()
        .filter(m -> m.blocks().toString().contains(findingId))
        .toList();
  }

  static Optional<FakeSlack.Message> in(String channel, String findingId) {
    return messagesOf(findingId).stream().filter(m -> m.channel().equals(channel)).findFirst();
  }

  static HttpResponse<String> revokeAs(String slackUser, String findingId) throws Exception {
    return SlackClicks.click(
        s.server,
        SECRET,
        CHANNEL,
        FakeSlack.TEAM,
        Instant.now(),
        slackUser,
        SlackFindingMessage.REVOKE,
        findingId);
  }

  static String clicks() {
    return s.get("sam", "audit", "/v1/audit?type=slack.interaction&limit=200").body().toString();
  }

  static String leaseState(String lease) {
    return s.get("alice", "eng", "/v1/leases/" + lease).body().path("state").asText();
  }

  @Test
  void aLeasesFindingIsToldAndOnlyAnApproversRevokeClickEndsTheLease() throws Exception {
    String request = s.grant("alice", "watch");
    Map.Entry<String, Minted> lease = s.lease("alice", request);
    assertThat(s.push("escape", lease.getValue().accessKeyId())).isEqualTo(204);
    String id = findingOf(request);

    eventually(() -> messagesOf(id).size() == 3, WAIT, "the channel's and two direct messages");
    assertThat(messagesOf(id))
        .extracting(FakeSlack.Message::channel)
        .containsExactlyInAnyOrder(CHANNEL, FakeSlack.dm("U0ALICE"), FakeSlack.dm("U0BOB"));
    String text = FakeSlack.text(in(CHANNEL, id).orElseThrow().blocks());
    assertThat(text)
        .contains("High finding", "escape", "iam:CreateAccessKey")
        .contains("/ui/leases/" + lease.getKey())
        .contains("told the holder and the profile's approvers");
    assertThat(in(CHANNEL, id).orElseThrow().blocks().toString())
        .contains(SlackFindingMessage.REVOKE, "Revoke lease");
    eventually(
        () -> teams.posts().stream().anyMatch(p -> p.text().contains(id)), WAIT, "Teams' card");

    assertThat(revokeAs("U0CAROL", id).statusCode()).isEqualTo(200);
    eventually(() -> clickOn(id, "refused").isPresent(), WAIT, "carol's click recorded");
    JsonNode refused = clickOn(id, "refused").orElseThrow();
    assertThat(refused.path("actor_subject").asText()).as(refused.toString()).isEqualTo("carol");
    // carol may not see the request at all: refused as the API refuses her, as if it were not.
    assertThat(refused.path("reason").asText()).isEqualTo("no request " + request);
    assertThat(refused.path("details").path("lease_id").asText()).isEqualTo(lease.getKey());
    assertThat(leaseState(lease.getKey())).isEqualTo("active");

    assertThat(revokeAs("U0BOB", id).statusCode()).isEqualTo(200);
    eventually(() -> leaseState(lease.getKey()).equals("revoked"), WAIT, "the lease revoked");
    eventually(() -> clickOn(id, "ok").isPresent(), WAIT, "bob's click recorded");
    JsonNode ok = clickOn(id, "ok").orElseThrow();
    assertThat(ok.path("actor_subject").asText()).isEqualTo("bob");
    assertThat(ok.path("request_id").asText()).isEqualTo(request);
    assertThat(ok.path("details").path("lease_id").asText()).isEqualTo(lease.getKey());
    Instant later = Instant.now().plusSeconds(1);
    eventually(
        () -> s.iam.denies("prod", lease.getValue().session(), later),
        WAIT,
        "IAM denies the lease's session");
    eventually(
        () ->
            messagesOf(id).size() == 3
                && messagesOf(id).stream()
                    .allMatch(m -> FakeSlack.text(m.blocks()).contains("Lease revoked by bob")),
        WAIT,
        "every copy says who revoked it");
    assertThat(in(CHANNEL, id).orElseThrow().blocks().toString())
        .doesNotContain(SlackFindingMessage.REVOKE);
  }

  @Test
  void aDryRunsFindingIsToldToNobody() throws Exception {
    String request = s.grant("alice", "trial");
    Minted own = s.mint("alice", "trial");
    assertThat(s.push("escape", own.accessKeyId())).isEqualTo(204);
    String id = findingOf(request);

    assertThat(
            s.count(
                "SELECT count(*) FROM outbox WHERE event = 'finding.raised' AND comment = '"
                    + id
                    + "' AND listener = 'finding.act'"))
        .isEqualTo(1);
    assertThat(
            s.count(
                "SELECT count(*) FROM outbox WHERE event = 'finding.raised' AND comment = '"
                    + id
                    + "' AND listener <> 'finding.act'"))
        .as("no notice of a dry run is ever written")
        .isZero();
    assertThat(messagesOf(id)).isEmpty();
  }

  /** The recorded click on finding {@code id}'s Revoke with {@code outcome}, if any. */
  private static Optional<JsonNode> clickOn(String id, String outcome) {
    try {
      for (JsonNode e : FindingsServer.JSON.readTree(clicks()).path("events")) {
        if (id.equals(e.path("details").path("finding_id").asText())
            && outcome.equals(e.path("outcome").asText())) {
          return Optional.of(e);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
