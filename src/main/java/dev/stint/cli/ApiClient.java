package dev.stint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.common.SecureUrls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CLI's only way to the server: JSON over HTTP with the caller's bearer token. Problem+json
 * answers become one-line {@link CliException}s carrying the server's detail and request id.
 */
public final class ApiClient {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern UNKNOWN_PROFILE = Pattern.compile("unknown profile '(.{1,200})'");

  private final URI server;
  private final String token;
  private final Duration connectTimeout;
  private final Duration timeout;

  /** A JSON answer and its status (some endpoints answer 201 or 202 with meaning). */
  public record Response(int status, JsonNode body) {}

  public ApiClient(URI server, String token) {
    this(server, token, false);
  }

  /**
   * With {@code insecure} (the {@code --insecure} flag) a token may go over plain http to a server
   * that is not on this machine; without it that is refused before anything is sent.
   */
  public ApiClient(URI server, String token, boolean insecure) {
    if (token != null && !insecure && !SecureUrls.httpsOrLoopback(server)) {
      throw new CliException(
          CliException.USAGE,
          "refusing to send your token over plain http"
              + " to "
              + server.getHost()
              + ": anyone on the network path could read it and act as"
              + " you. Use an https:// server URL, or pass --insecure if you accept that risk"
              + " (loopback addresses are allowed over http)");
    }
    this.server = server;
    this.token = token;
    this.connectTimeout = CONNECT_TIMEOUT;
    this.timeout = REQUEST_TIMEOUT;
  }

  private ApiClient(ApiClient client, Duration timeout) {
    this.server = client.server;
    this.token = client.token;
    this.connectTimeout = timeout;
    this.timeout = timeout;
  }

  /**
   * The same client, giving up on connecting and on each answer after {@code timeout}: for callers
   * that must not keep a person waiting (shell completion).
   */
  public ApiClient withTimeout(Duration timeout) {
    return new ApiClient(this, timeout);
  }

  /** A client for the few endpoints that need no token ({@code GET /v1/login}). */
  public static ApiClient anonymous(URI server) {
    return new ApiClient(server, null);
  }

  public Response get(String path, Map<String, String> query) {
    return send(new Request("GET", path + queryString(query), null));
  }

  /**
   * Like {@link #get} but an HTTP 404 is an empty answer instead of an error: for endpoints an
   * older server may not have, where the caller has a fallback.
   */
  public Optional<Response> getIfPresent(String path) {
    Response response = exchange(new Request("GET", path, null));
    return response.status() == 404 ? Optional.empty() : Optional.of(checked(response));
  }

  /**
   * A document the server sends to be kept as it is (an access review's export): its text, never
   * parsed, for the caller to pass on unchanged; {@code accept} names the type asked for. A refusal
   * is problem+json, as from every route.
   */
  public String getText(String path, Map<String, String> query, String accept) {
    BlockingHttp.Answer answer =
        answer(new Request("GET", path + queryString(query), null, accept));
    if (answer.status() >= 400) {
      throw problem(answer.status(), parse(answer));
    }
    return answer.body();
  }

  public Response post(String path, Object body) {
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot encode request: " + e.getMessage());
    }
    return send(new Request("POST", path, json));
  }

  public URI server() {
    return server;
  }

  /**
   * A call to the API: the method, the path with its query, a JSON body or none, and the type of
   * answer asked for.
   */
  private record Request(String method, String path, String json, String accept) {
    Request(String method, String path, String json) {
      this(method, path, json, "application/json");
    }
  }

  private Map<String, String> headers(Request request) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", request.accept());
    headers.put("User-Agent", "stint-cli");
    if (request.json() != null) {
      headers.put("Content-Type", "application/json");
    }
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    return headers;
  }

  private Response send(Request request) {
    Response response = exchange(request);
    if (response.status() == 404) {
      unknownProfile(response.body())
          .ifPresent(
              typed -> {
                throw withSuggestion(problem(404, response.body()), typed);
              });
    }
    return checked(response);
  }

  /** The profile a {@code not_found} answer says is unknown, if that is what it says. */
  private static Optional<String> unknownProfile(JsonNode body) {
    Matcher m = UNKNOWN_PROFILE.matcher(body.path("detail").asText(""));
    return body.path("code").asText("").equals("not_found") && m.matches()
        ? Optional.of(m.group(1))
        : Optional.empty();
  }

  /**
   * The refusal, with the profiles the caller may request that are closest to the one typed. The
   * list is the caller's own ({@code GET /v1/profiles}), so nothing is named they could not list;
   * when it cannot be read (a CI token, an older server) the refusal stands as it was.
   */
  private CliException withSuggestion(CliException refused, String typed) {
    List<String> names = new ArrayList<>();
    try {
      Response listed = exchange(new Request("GET", "/v1/profiles", null));
      if (listed.status() == 200) {
        listed.body().path("profiles").forEach(p -> names.add(p.path("name").asText()));
      }
    } catch (CliException e) {
      return refused;
    }
    List<String> near = Suggestions.closest(typed, names);
    return near.isEmpty()
        ? refused
        : new CliException(
            refused.exitCode(),
            refused.getMessage() + "; did you mean " + String.join(" or ", near) + "?",
            refused.serverCode().orElse(null));
  }

  private Response exchange(Request request) {
    BlockingHttp.Answer answer = answer(request);
    return new Response(answer.status(), parse(answer));
  }

  private BlockingHttp.Answer answer(Request request) {
    try {
      return BlockingHttp.send(
          request.method(),
          server.resolve(request.path()),
          headers(request),
          request.json(),
          connectTimeout,
          timeout);
    } catch (ConnectException e) {
      throw new CliException(
          CliException.UNAVAILABLE, "cannot reach stint at " + server + ": connection refused");
    } catch (SocketTimeoutException e) {
      throw new CliException(
          CliException.UNAVAILABLE, "stint at " + server + " did not answer in time");
    } catch (IOException e) {
      throw new CliException(
          CliException.UNAVAILABLE,
          "cannot reach stint at "
              + server
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
  }

  private static Response checked(Response response) {
    if (response.status() >= 400) {
      throw problem(response.status(), response.body());
    }
    return response;
  }

  private JsonNode parse(BlockingHttp.Answer response) {
    String text = response.body();
    if (text == null || text.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new CliException(
          CliException.UNAVAILABLE,
          "stint at "
              + server
              + " answered HTTP "
              + response.status()
              + " with a body that is not JSON");
    }
  }

  static CliException problem(int status, JsonNode body) {
    String detail = body.path("detail").asText("");
    String code = body.path("code").asText("http_" + status);
    String requestId = body.path("request_id").asText("");
    String message =
        (detail.isEmpty() ? "request failed" : detail)
            + " ("
            + code
            + (requestId.isEmpty() ? "" : ", trace " + requestId)
            + ")"
            + retryAfter(body);
    return new CliException(
        status >= 500 ? CliException.UNAVAILABLE : CliException.REFUSED,
        message,
        body.path("code").isTextual() ? code : null);
  }

  /**
   * A refusal to proceed now (429 with {@code Retry-After}) says when to try again, in words and in
   * seconds, on a line of its own.
   */
  static String retryAfter(JsonNode body) {
    long seconds = body.path("retry_after_seconds").asLong(0);
    if (seconds <= 0) {
      return "";
    }
    long minutes = seconds / 60;
    String wait =
        minutes == 0
            ? seconds + "s"
            : minutes >= 60
                ? minutes / 60 + "h " + minutes % 60 + "m"
                : minutes + "m " + seconds % 60 + "s";
    return System.lineSeparator()
        + "  try again in "
        + wait
        + " (Retry-After: "
        + seconds
        + " seconds); nothing was changed";
  }

  private static String queryString(Map<String, String> query) {
    StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach(
        (k, v) -> {
          if (v != null) {
            joined.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8));
          }
        });
    return joined.toString();
  }
}
