package dev.stint.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.standin.QueryRequest;
import dev.stint.standin.SlackSocketServer;
import dev.stint.standin.StandInReply;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local Slack for {@code stint demo}: the Web API methods stint calls ({@code chat.postMessage},
 * {@code chat.update}, {@code chat.postEphemeral}, {@code conversations.open}, {@code users.info},
 * {@code apps.connections.open}) under {@code /api/}, refusing a wrong token, an unknown channel or
 * user and malformed blocks as Slack does; Socket Mode ({@link SlackSocketServer}); and, at {@code
 * /}, a page that shows the messages as a member sees them, whose buttons send stint clicks down
 * its Socket Mode connection ({@link SlackDemoPage}). The demo's people are its members.
 */
public final class SlackStandIn extends AwsStandIn {
  public static final String TEAM = "T0DEMO";
  public static final String CHANNEL = "C0DEMOAPPROVALS";

  /** The page title; tests look for it. */
  public static final String TITLE = "Slack (demo stand-in)";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String token;
  private final String appToken;
  private final SlackSocketServer sockets = new SlackSocketServer();
  private final List<SlackMessage> messages = new ArrayList<>();
  private final AtomicLong clock = new AtomicLong(1_800_000_000_000_000L);
  private final SlackDemoPage page;

  /**
   * A Slack app with bot token {@code token} and app-level token {@code appToken}: its clicks go to
   * stint over Socket Mode.
   */
  public SlackStandIn(String token, String appToken) {
    this.token = token;
    this.appToken = appToken;
    this.page = new SlackDemoPage(this::messages, sockets);
  }

  /** The Web API base, for {@code notify.slack.api_url}. */
  public URI apiUrl() {
    return uri().resolve("/api/");
  }

  public synchronized List<SlackMessage> messages() {
    return List.copyOf(messages);
  }

  @Override
  protected CompletionStage<StandInReply> reply(QueryRequest request) {
    return request.path().startsWith("/api/") ? super.reply(request) : page.answer(request);
  }

  @Override
  protected StandInReply answer(QueryRequest call) {
    if (!"POST".equals(call.method())) {
      return slack(error("invalid_request"));
    }
    List<String> auth = call.headers().getOrDefault("Authorization", List.of());
    if (auth.isEmpty()) {
      return slack(error("not_authed"));
    }
    if (call.path().equals("/api/apps.connections.open")) {
      return slack(connectionsOpen(auth.get(0)));
    }
    if (!auth.get(0).equals("Bearer " + token)) {
      return slack(error("invalid_auth"));
    }
    return slack(
        switch (call.path().substring("/api/".length())) {
          case "chat.postMessage" -> post(call.params(), Optional.empty());
          case "chat.postEphemeral" -> post(call.params(), Optional.ofNullable(call.param("user")));
          case "chat.update" -> update(call.params());
          case "conversations.open" -> open(call.param("users"));
          case "users.info" -> userInfo(call.param("user"));
          default -> error("unknown_method");
        });
  }

  /** Socket Mode's address, for the app-level token only; a bot token is the wrong type. */
  private ObjectNode connectionsOpen(String authorization) {
    if (authorization.equals("Bearer " + token)) {
      return error("not_allowed_token_type");
    }
    if (!authorization.equals("Bearer " + appToken)) {
      return error("invalid_auth");
    }
    return ok().put("url", sockets.issue().toString());
  }

  private synchronized ObjectNode post(Map<String, String> f, Optional<String> onlyFor) {
    String channel = f.getOrDefault("channel", "");
    if (!known(channel)) {
      return error("channel_not_found");
    }
    if (onlyFor.isPresent() && DevUser.ofSlackMember(onlyFor.get()).isEmpty()) {
      return error("user_not_found");
    }
    Optional<JsonNode> blocks = blocks(f.get("blocks"));
    if (blocks.isEmpty()) {
      return error("invalid_blocks");
    }
    String ts = next();
    messages.add(
        new SlackMessage(
            channel,
            ts,
            Optional.ofNullable(f.get("thread_ts")),
            f.getOrDefault("text", ""),
            blocks.get(),
            onlyFor));
    ObjectNode ok = ok().put("channel", channel).put("ts", ts);
    ok.putObject("message").put("ts", ts).put("text", f.getOrDefault("text", ""));
    if (onlyFor.isPresent()) {
      ok.put("message_ts", ts);
    }
    return ok;
  }

  private synchronized ObjectNode update(Map<String, String> f) {
    String channel = f.getOrDefault("channel", "");
    String ts = f.getOrDefault("ts", "");
    Optional<JsonNode> blocks = blocks(f.get("blocks"));
    if (blocks.isEmpty()) {
      return error("invalid_blocks");
    }
    for (int i = 0; i < messages.size(); i++) {
      SlackMessage m = messages.get(i);
      if (m.channel().equals(channel) && m.ts().equals(ts)) {
        messages.set(
            i,
            new SlackMessage(
                channel, ts, m.thread(), f.getOrDefault("text", ""), blocks.get(), m.onlyFor()));
        return ok().put("channel", channel).put("ts", ts);
      }
    }
    return error("message_not_found");
  }

  private ObjectNode open(String users) {
    if (users == null || DevUser.ofSlackMember(users).isEmpty()) {
      return error("user_not_found");
    }
    ObjectNode ok = ok();
    ok.putObject("channel").put("id", "D" + users);
    return ok;
  }

  private ObjectNode userInfo(String user) {
    Optional<DevUser> who = user == null ? Optional.empty() : DevUser.ofSlackMember(user);
    if (who.isEmpty()) {
      return error("user_not_found");
    }
    ObjectNode ok = ok();
    ObjectNode u =
        ok.putObject("user")
            .put("id", user)
            .put("team_id", TEAM)
            .put("name", who.get().login())
            .put("deleted", false)
            .put("is_bot", false)
            .put("is_email_confirmed", true);
    u.putObject("profile").put("email", who.get().email()).put("real_name", who.get().name());
    return ok;
  }

  private static boolean known(String channel) {
    return CHANNEL.equals(channel)
        || channel.startsWith("D") && DevUser.ofSlackMember(channel.substring(1)).isPresent();
  }

  /** Absent is fine (text only); otherwise a JSON array of at most fifty typed objects. */
  private static Optional<JsonNode> blocks(String text) {
    if (text == null) {
      return Optional.of(JSON.createArrayNode());
    }
    try {
      JsonNode blocks = JSON.readTree(text);
      if (blocks == null || !blocks.isArray() || blocks.size() > 50) {
        return Optional.empty();
      }
      for (JsonNode b : blocks) {
        if (!b.path("type").isTextual()) {
          return Optional.empty();
        }
      }
      return Optional.of(blocks);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private String next() {
    long n = clock.incrementAndGet();
    return (n / 1_000_000) + "." + String.format("%06d", n % 1_000_000);
  }

  private static ObjectNode ok() {
    return JSON.createObjectNode().put("ok", true);
  }

  private static ObjectNode error(String code) {
    return JSON.createObjectNode().put("ok", false).put("error", code);
  }

  @Override
  public void close() {
    sockets.close();
    super.close();
  }

  private static StandInReply slack(ObjectNode body) {
    return new StandInReply(200, "application/json; charset=utf-8", body.toString());
  }
}
