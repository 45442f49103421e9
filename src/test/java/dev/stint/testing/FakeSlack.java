package dev.stint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stint.standin.SlackSocketServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in of Slack's Web API on 127.0.0.1, port 0, for the methods stint uses ({@code
 * chat.postMessage}, {@code chat.update}, {@code chat.postEphemeral}, {@code conversations.open},
 * {@code users.info}, and {@code apps.connections.open} for Socket Mode, whose connections a {@link
 * SlackSocketServer} serves). It refuses what Slack refuses, with Slack's error codes: a missing or
 * wrong bearer token ({@code invalid_auth}), an unknown channel ({@code channel_not_found}), an
 * update without a known {@code ts} ({@code message_not_found}), blocks that are not a JSON array
 * or exceed Slack's limits ({@code invalid_blocks}), an unknown user ({@code user_not_found}). It
 * records every accepted message and update.
 */
public final class FakeSlack implements AutoCloseable {
  public static final String TOKEN = "xoxb-test-0000-fakeslacktoken";

  /** The app-level token that {@code apps.connections.open} takes (Socket Mode). */
  public static final String APP_TOKEN = "xapp-1-A0STANDIN-0000-fakeslackapptoken";

  public static final String TEAM = "T0STINT";
  static final int MAX_BLOCKS = 50;
  static final int MAX_SECTION_TEXT = 3000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A message as posted (or as last updated), with its blocks. */
  public record Message(String channel, String ts, String text, JsonNode blocks) {}

  /** A call that was accepted: its method and form fields. */
  public record Call(String method, Map<String, String> fields) {}

  private final HttpServer server;
  private final List<String> channels = new CopyOnWriteArrayList<>();
  private final Map<String, String> users = new LinkedHashMap<>();
  private final Map<String, String> emails = new LinkedHashMap<>();
  private final Set<String> guests = new HashSet<>();
  private final Map<String, Message> messages = new LinkedHashMap<>();
  private final List<Message> updates = new CopyOnWriteArrayList<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicLong clock = new AtomicLong(1_800_000_000_000_000L);
  private volatile String failNext;
  private volatile String refuseConnections;
  private volatile CountDownLatch connectionsHeld;
  private volatile SlackSocketServer sockets;

  public FakeSlack(String... knownChannels) throws IOException {
    channels.addAll(List.of(knownChannels));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/api/", this::handle);
    server.start();
  }

  /** The Web API base, for {@code notify.slack.api_url}. */
  public URI apiUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/");
  }

  /** A Slack user in {@link #TEAM} that {@code users.info} and {@code conversations.open} know. */
  public synchronized FakeSlack user(String id) {
    users.put(id, TEAM);
    return this;
  }

  /**
   * Slack forgets the member (deactivated): users.info and conversations.open no longer know them.
   */
  public synchronized FakeSlack deactivate(String id) {
    users.remove(id);
    return this;
  }

  /** A guest of {@link #TEAM} (Slack's {@code is_restricted}) with this profile email. */
  public synchronized FakeSlack guest(String id, String email) {
    guests.add(id);
    return user(id, email);
  }

  /** As {@link #user(String)}, with this profile email (what the users:read.email scope shows). */
  public synchronized FakeSlack user(String id, String email) {
    users.put(id, TEAM);
    emails.put(id, email);
    return this;
  }

  /** The next call answers {@code {"ok":false,"error":ERROR}} (as Slack does when it fails). */
  public FakeSlack failNext(String error) {
    this.failNext = error;
    return this;
  }

  public synchronized List<Message> messages() {
    return List.copyOf(messages.values());
  }

  public synchronized Optional<Message> message(String channel, String ts) {
    return Optional.ofNullable(messages.get(channel + "/" + ts));
  }

  public List<Message> updates() {
    return List.copyOf(updates);
  }

  public List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  /**
   * Socket Mode: from now on {@code apps.connections.open} hands out addresses of this local Socket
   * Mode server, which the test drives.
   */
  public synchronized SlackSocketServer sockets() {
    if (sockets == null) {
      sockets = new SlackSocketServer();
    }
    return sockets;
  }

  /**
   * {@code apps.connections.open} answers {@code error} until this is called with null; each
   * refused call is recorded with the field {@code refused}.
   */
  public FakeSlack refuseConnections(String error) {
    this.refuseConnections = error;
    return this;
  }

  /**
   * From now on {@code apps.connections.open}, once it has recorded a call, answers only after
   * {@link #releaseConnections}: a test can act while the client is opening a connection, before
   * the client has an address to open.
   */
  public FakeSlack holdConnections() {
    connectionsHeld = new CountDownLatch(1);
    return this;
  }

  /** Lets every held {@code apps.connections.open}, and those after it, answer. */
  public FakeSlack releaseConnections() {
    CountDownLatch held = connectionsHeld;
    connectionsHeld = null;
    if (held != null) {
      held.countDown();
    }
    return this;
  }

  /**
   * {@code apps.connections.open}: only an app-level token may open a connection; a bot token gets
   * {@code not_allowed_token_type}, as at Slack.
   */
  private ObjectNode connectionsOpen(String authorization) {
    if (authorization == null) {
      return error("not_authed");
    }
    if (authorization.equals("Bearer " + TOKEN)) {
      return error("not_allowed_token_type");
    }
    if (!authorization.equals("Bearer " + APP_TOKEN)) {
      return error("invalid_auth");
    }
    String refused = refuseConnections != null ? refuseConnections : null;
    if (refused == null && sockets == null) {
      refused = "socket_mode_not_enabled";
    }
    if (refused != null) {
      calls.add(new Call("apps.connections.open", Map.of("refused", refused)));
      return error(refused);
    }
    calls.add(new Call("apps.connections.open", Map.of()));
    CountDownLatch held = connectionsHeld;
    try {
      if (held != null && !held.await(Patience.seconds(60), TimeUnit.MILLISECONDS)) {
        return error("internal_error");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error("internal_error");
    }
    return JSON.createObjectNode().put("ok", true).put("url", sockets.issue().toString());
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestURI().getPath().substring("/api/".length());
      byte[] body = ex.getRequestBody().readAllBytes();
      ObjectNode answer;
      if (!"POST".equals(ex.getRequestMethod())) {
        answer = error("invalid_request");
      } else if ("apps.connections.open".equals(method)) {
        answer = connectionsOpen(ex.getRequestHeaders().getFirst("Authorization"));
      } else if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        answer =
            error(
                ex.getRequestHeaders().getFirst("Authorization") == null
                    ? "not_authed"
                    : "invalid_auth");
      } else {
        String fail = failNext;
        failNext = null;
        answer =
            fail != null
                ? error(fail)
                : answer(method, fields(ex.getRequestHeaders().getFirst("Content-Type"), body));
      }
      byte[] out = JSON.writeValueAsBytes(answer);
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
    }
  }

  private synchronized ObjectNode answer(String method, Map<String, String> f) {
    ObjectNode answer =
        switch (method) {
          case "chat.postMessage" -> post(f);
          case "chat.update" -> update(f);
          case "chat.postEphemeral" -> ephemeral(f);
          case "conversations.open" -> open(f);
          case "users.info" -> userInfo(f);
          default -> error("unknown_method");
        };
    if (answer.path("ok").asBoolean()) {
      calls.add(new Call(method, Map.copyOf(f)));
    }
    return answer;
  }

  private ObjectNode post(Map<String, String> f) {
    String channel = f.getOrDefault("channel", "");
    if (!knownChannel(channel)) {
      return error("channel_not_found");
    }
    Optional<JsonNode> blocks = blocks(f);
    if (blocks.isEmpty()) {
      return error("invalid_blocks");
    }
    String ts = nextTs();
    Message m = new Message(channel, ts, f.getOrDefault("text", ""), blocks.get());
    messages.put(channel + "/" + ts, m);
    ObjectNode ok = ok();
    ok.put("channel", channel).put("ts", ts);
    return ok;
  }

  private ObjectNode update(Map<String, String> f) {
    String channel = f.getOrDefault("channel", "");
    if (!knownChannel(channel)) {
      return error("channel_not_found");
    }
    String ts = f.get("ts");
    if (ts == null || ts.isEmpty() || !messages.containsKey(channel + "/" + ts)) {
      return error("message_not_found");
    }
    Optional<JsonNode> blocks = blocks(f);
    if (blocks.isEmpty()) {
      return error("invalid_blocks");
    }
    Message m = new Message(channel, ts, f.getOrDefault("text", ""), blocks.get());
    messages.put(channel + "/" + ts, m);
    updates.add(m);
    ObjectNode ok = ok();
    ok.put("channel", channel).put("ts", ts);
    return ok;
  }

  private ObjectNode ephemeral(Map<String, String> f) {
    if (!knownChannel(f.getOrDefault("channel", ""))) {
      return error("channel_not_found");
    }
    if (!users.containsKey(f.getOrDefault("user", ""))) {
      return error("user_not_in_channel");
    }
    if (f.containsKey("blocks") && blocks(f).isEmpty()) {
      return error("invalid_blocks");
    }
    ObjectNode ok = ok();
    ok.put("message_ts", nextTs());
    return ok;
  }

  private ObjectNode open(Map<String, String> f) {
    String user = f.getOrDefault("users", "");
    if (!users.containsKey(user)) {
      return error("user_not_found");
    }
    ObjectNode ok = ok();
    ok.putObject("channel").put("id", dm(user));
    return ok;
  }

  private ObjectNode userInfo(Map<String, String> f) {
    String user = f.getOrDefault("user", "");
    if (!users.containsKey(user)) {
      return error("user_not_found");
    }
    ObjectNode ok = ok();
    ObjectNode u =
        ok.putObject("user")
            .put("id", user)
            .put("team_id", users.get(user))
            .put("name", user)
            .put("deleted", false)
            .put("is_bot", false);
    if (emails.containsKey(user)) {
      u.putObject("profile").put("email", emails.get(user));
      u.put("is_email_confirmed", true);
    }
    u.put("is_restricted", guests.contains(user));
    return ok;
  }

  /** The direct-message channel with a user, as {@code conversations.open} names it. */
  public static String dm(String user) {
    return "D" + user;
  }

  private boolean knownChannel(String channel) {
    return channels.contains(channel)
        || channel.startsWith("D") && users.containsKey(channel.substring(1));
  }

  /**
   * The blocks field, when it is Slack-shaped: a JSON array of at most fifty objects that each have
   * a type, sections' text at most three thousand characters. Absent is fine (text only).
   */
  private static Optional<JsonNode> blocks(Map<String, String> f) {
    String text = f.get("blocks");
    if (text == null) {
      return Optional.of(JSON.createArrayNode());
    }
    JsonNode blocks;
    try {
      blocks = JSON.readTree(text);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (blocks == null || !blocks.isArray() || blocks.size() > MAX_BLOCKS) {
      return Optional.empty();
    }
    for (JsonNode block : blocks) {
      if (!block.isObject() || !block.path("type").isTextual()) {
        return Optional.empty();
      }
      if ("section".equals(block.path("type").asText())
          && block.path("text").path("text").asText("").length() > MAX_SECTION_TEXT) {
        return Optional.empty();
      }
      for (JsonNode field : block.path("fields")) {
        if (field.path("text").asText("").length() > MAX_SECTION_TEXT) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(blocks);
  }

  private static Map<String, String> fields(String contentType, byte[] body) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    String text = new String(body, StandardCharsets.UTF_8);
    if (contentType != null && contentType.startsWith("application/json")) {
      JSON.readTree(text)
          .fields()
          .forEachRemaining(
              e ->
                  out.put(
                      e.getKey(),
                      e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
      return out;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private String nextTs() {
    long micros = clock.incrementAndGet();
    return (micros / 1_000_000) + "." + String.format("%06d", micros % 1_000_000);
  }

  private static ObjectNode ok() {
    return JSON.createObjectNode().put("ok", true);
  }

  private static ObjectNode error(String code) {
    return JSON.createObjectNode().put("ok", false).put("error", code);
  }

  /** Every button's {@code action_id} in a message's blocks, in order. */
  public static List<String> actionIds(JsonNode blocks) {
    List<String> out = new ArrayList<>();
    for (JsonNode block : blocks) {
      for (JsonNode element : block.path("elements")) {
        if (element.has("action_id")) {
          out.add(element.path("action_id").asText());
        }
      }
      JsonNode accessory = block.path("accessory");
      if (accessory.has("action_id")) {
        out.add(accessory.path("action_id").asText());
      }
    }
    return out;
  }

  /** All the text of a message's blocks, joined, for assertions. */
  public static String text(JsonNode blocks) {
    List<String> out = new ArrayList<>();
    blocks
        .findValues("text")
        .forEach(t -> out.add(t.isTextual() ? t.asText() : t.path("text").asText()));
    return String.join("\n", out);
  }

  @Override
  public void close() {
    server.stop(0);
    if (sockets != null) {
      sockets.close();
    }
  }
}
