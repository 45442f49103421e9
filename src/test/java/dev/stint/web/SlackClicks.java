package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.notify.slack.SlackSignature;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Slack end-to-end tests do as Slack and as a person: the server's Slack settings, linking
 * a Slack account through the web pages, and a button click as Slack sends it (signed over HTTP, or
 * its payload for a Socket Mode envelope).
 */
final class SlackClicks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CODE = Pattern.compile("linking code is ([A-Z0-9]{8})");

  private SlackClicks() {}

  /** The server's Slack settings for {@code slack}, signing with {@code secret}. */
  static Map<String, String> settings(FakeSlack slack, String secret, String channel) {
    return Map.of(
        "STINT_SLACK_BOT_TOKEN",
        FakeSlack.TOKEN,
        "STINT_SLACK_SIGNING_SECRET",
        secret,
        "STINT_SLACK_CHANNEL",
        channel,
        "STINT_SLACK_API_URL",
        slack.apiUrl().toString());
  }

  /** Signs in on the web, asks for a code for the Slack user, reads the DM, types it back. */
  static void link(
      TestServer server,
      TestIdp idp,
      FakeSlack slack,
      String user,
      String slackUser,
      String group) {
    Browser b = new Browser(server);
    assertThat(b.signIn(idp, user, group).statusCode()).isEqualTo(303);
    assertThat(b.submit("/ui/slack/link", Map.of("slack_user", slackUser)).statusCode())
        .isEqualTo(200);
    String dm =
        slack.messages().stream()
            .filter(m -> m.channel().equals(FakeSlack.dm(slackUser)))
            .reduce((a, z) -> z)
            .orElseThrow()
            .text();
    Matcher code = CODE.matcher(dm);
    assertThat(code.find()).as(dm).isTrue();
    assertThat(b.submit("/ui/slack/link/confirm", Map.of("code", code.group(1))).statusCode())
        .isEqualTo(303);
  }

  /** A request of {@code user} (group sre) for {@code profile}, an hour long; its id. */
  static String request(TestServer server, TestIdp idp, String user, String profile)
      throws Exception {
    HttpResponse<String> created =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests"))
                .header("Authorization", "Bearer " + idp.token(user, "sre"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"profile\":\""
                            + profile
                            + "\",\"duration_seconds\":3600,\"reason\":\"INC-9 slack\"}"))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).get("id").asText();
  }

  /** The {@code block_actions} object Slack sends for a click of {@code slackUser}'s. */
  static ObjectNode payload(
      String channel, String team, String slackUser, String actionId, String value) {
    ObjectNode p = JSON.createObjectNode().put("type", "block_actions");
    p.putObject("user").put("id", slackUser).put("team_id", team);
    p.putObject("team").put("id", team);
    p.putObject("channel").put("id", channel);
    p.putArray("actions")
        .addObject()
        .put("type", "button")
        .put("action_id", actionId)
        .put("value", value);
    return p;
  }

  /** A button click of {@code slackUser} in {@code team}, signed at {@code now} as Slack signs. */
  static HttpResponse<String> click(
      TestServer server,
      String secret,
      String channel,
      String team,
      Instant now,
      String slackUser,
      String actionId,
      String value)
      throws Exception {
    String body =
        "payload="
            + URLEncoder.encode(
                payload(channel, team, slackUser, actionId, value).toString(),
                StandardCharsets.UTF_8);
    String ts = Long.toString(now.getEpochSecond());
    return server.send(
        HttpRequest.newBuilder(server.uri("/v1/slack/interactions"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(SlackSignature.TIMESTAMP_HEADER, ts)
            .header(
                SlackSignature.SIGNATURE_HEADER,
                SlackSignature.sign(secret, ts, body.getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }
}
