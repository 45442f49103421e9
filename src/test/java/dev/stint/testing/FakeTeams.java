package dev.stint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in of a Microsoft Teams "Workflows" webhook on 127.0.0.1, port 0. Like the real one it
 * takes only a POST to its path with the signature in the query ({@code sig}; otherwise 401), and
 * only a message with Adaptive Card attachments: a body that is not JSON, not a {@code message},
 * without attachments, with an attachment of another content type or a content that is not an
 * {@code AdaptiveCard} with a version and a body gets 400. Accepted posts answer 202 and are
 * recorded with their headers; {@link #failNext} makes the next posts fail.
 */
public final class FakeTeams implements AutoCloseable {
  public static final String PATH = "/workflows/0f1e2d3c/triggers/manual/paths/invoke";
  public static final String SIG = "sIg-SeCrEt-0123456789abcdef";
  static final String CARD = "application/vnd.microsoft.card.adaptive";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One accepted post: its headers (names in lower case) and the card it carried. */
  public record Post(Map<String, String> headers, JsonNode message) {
    /** The first attachment's Adaptive Card. */
    public JsonNode card() {
      return message.path("attachments").path(0).path("content");
    }

    /** All the card's TextBlock texts, one a line. */
    public String text() {
      List<String> out = new ArrayList<>();
      card().path("body").forEach(b -> out.add(b.path("text").asText()));
      return String.join("\n", out);
    }
  }

  private final HttpServer server;
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private final List<Integer> refusals = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Integer> failures = new ConcurrentLinkedQueue<>();
  private final Map<String, Integer> failFirst = new ConcurrentHashMap<>();
  private final List<Post> failed = new CopyOnWriteArrayList<>();

  public FakeTeams() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The webhook URL, signature included, as a Teams workflow shows it. */
  public URI url() {
    return URI.create(
        "http://127.0.0.1:"
            + server.getAddress().getPort()
            + PATH
            + "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig="
            + SIG);
  }

  /** The next posts answer these statuses (such as 500, or 429 when throttled), in turn. */
  public FakeTeams failNext(Integer... statuses) {
    failures.addAll(List.of(statuses));
    return this;
  }

  /** The first well-shaped post whose card text contains {@code text} answers {@code status}. */
  public FakeTeams failFirst(String text, int status) {
    failFirst.put(text, status);
    return this;
  }

  /**
   * Well-shaped posts that were answered with a failure ({@link #failNext}, {@link #failFirst}).
   */
  public List<Post> failed() {
    return List.copyOf(failed);
  }

  public List<Post> posts() {
    return List.copyOf(posts);
  }

  /** The statuses of the posts refused or failed, in order. */
  public List<Integer> refusals() {
    return List.copyOf(refusals);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      int status = status(ex, body);
      Post post = null;
      if (status == 202 || status >= 429) {
        Map<String, String> headers = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
        post = new Post(Map.copyOf(headers), JSON.readTree(body));
        for (String text : failFirst.keySet()) {
          Integer fail =
              status == 202 && post.text().contains(text) ? failFirst.remove(text) : null;
          status = fail == null ? status : fail;
        }
      }
      if (status == 202) {
        posts.add(post);
      } else {
        refusals.add(status);
        if (post != null) {
          failed.add(post);
        }
      }
      ex.sendResponseHeaders(status, -1);
    }
  }

  private int status(HttpExchange ex, byte[] body) {
    String query = ex.getRequestURI().getRawQuery();
    if (!"POST".equals(ex.getRequestMethod()) || !PATH.equals(ex.getRequestURI().getPath())) {
      return 404;
    }
    if (query == null || !List.of(query.split("&")).contains("sig=" + SIG)) {
      return 401;
    }
    if (!shaped(body)) {
      return 400;
    }
    Integer fail = failures.poll();
    return fail == null ? 202 : fail;
  }

  /** A message whose every attachment is an Adaptive Card with a version and a body. */
  private static boolean shaped(byte[] body) {
    JsonNode message;
    try {
      message = JSON.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return false;
    }
    if (message == null || !"message".equals(message.path("type").asText())) {
      return false;
    }
    JsonNode attachments = message.path("attachments");
    if (!attachments.isArray() || attachments.isEmpty()) {
      return false;
    }
    for (JsonNode a : attachments) {
      JsonNode card = a.path("content");
      if (!CARD.equals(a.path("contentType").asText())
          || !"AdaptiveCard".equals(card.path("type").asText())
          || !card.path("version").isTextual()
          || !card.path("body").isArray()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
