package dev.stint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/** JSON calls to a test server's API with a bearer token, answered as status and body. */
public final class ApiCalls {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TestServer server;

  public ApiCalls(TestServer server) {
    this.server = server;
  }

  public record Answer(int status, JsonNode body, HttpHeaders headers) {
    public Answer(int status, JsonNode body) {
      this(status, body, HttpHeaders.of(Map.of(), (a, b) -> true));
    }

    /** The first value of a response header, if the answer had it. */
    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    /** A problem answer's stable error {@code code}; empty for any other answer. */
    public String code() {
      return body.path("code").asText("");
    }
  }

  /** {@code body} null sends none; an empty answer reads as an empty object. */
  public Answer call(String token, String method, String path, String body) {
    return call(token, method, path, body, "stint-tests");
  }

  public Answer post(String token, String path, String body) {
    return call(token, "POST", path, body);
  }

  public Answer get(String token, String path) {
    return call(token, "GET", path, null);
  }

  /** As {@link #call(String, String, String, String)}, with the caller's own User-Agent. */
  public Answer call(String token, String method, String path, String body, String userAgent) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri(path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("User-Agent", userAgent)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = server.send(b.build());
    try {
      return new Answer(
          r.statusCode(),
          r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()),
          r.headers());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }
}
