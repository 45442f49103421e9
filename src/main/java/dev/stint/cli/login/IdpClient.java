package dev.stint.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.CliException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The CLI's HTTP to the identity provider: discovery documents and form posts to the token, device
 * and revocation endpoints. Answers are JSON; OAuth error answers become {@link OAuthError} so
 * flows can act on the error code. No request or answer body is ever put in a message: they carry
 * codes and tokens.
 */
final class IdpClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * Made on first use: every command holds an IdpClient (a stored login may need refreshing), and
   * making these loads TLS and Jackson, which most runs never reach.
   */
  private static final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** An RFC 6749 §5.2 error answer: {@code error} and the optional description. */
  static final class OAuthError extends Exception {
    private final String error;
    private final String description;

    OAuthError(String error, String description) {
      super(error);
      this.error = error;
      this.description = description;
    }

    String error() {
      return error;
    }

    /** {@code error} plus the IdP's description, cut to one short line of printable text. */
    String summary() {
      String d = description == null ? "" : description.replaceAll("[\\p{Cntrl}]", " ").strip();
      if (d.length() > 200) {
        d = d.substring(0, 200) + "…";
      }
      return d.isEmpty() ? error : error + ": " + d;
    }
  }

  JsonNode getJson(URI uri) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 200) {
      throw new CliException(
          CliException.UNAVAILABLE,
          "identity provider answered HTTP " + response.statusCode() + " for " + uri);
    }
    return parse(uri, response.body());
  }

  /** Posts a form; a 2xx JSON object is returned, an OAuth error answer is thrown. */
  JsonNode postForm(URI uri, Map<String, String> form) throws OAuthError {
    HttpResponse<String> response = send(formRequest(uri, form));
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return parse(uri, response.body());
    }
    JsonNode body = tryParse(response.body());
    if (status >= 400 && status < 500 && body.hasNonNull("error")) {
      throw new OAuthError(
          body.path("error").asText(), body.path("error_description").asText(null));
    }
    throw new CliException(
        CliException.UNAVAILABLE, "identity provider answered HTTP " + status + " for " + uri);
  }

  /** Posts a form whose answer has no body worth reading (RFC 7009 revocation): the status. */
  int postFormForStatus(URI uri, Map<String, String> form) {
    return send(formRequest(uri, form)).statusCode();
  }

  private static HttpRequest formRequest(URI uri, Map<String, String> form) {
    return HttpRequest.newBuilder(uri)
        .timeout(TIMEOUT)
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
        .build();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliException(
          CliException.UNAVAILABLE,
          "cannot reach the identity provider at "
              + request.uri().getScheme()
              + "://"
              + request.uri().getAuthority()
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.FAILED, "interrupted");
    }
  }

  private static JsonNode parse(URI uri, String text) {
    JsonNode node = tryParse(text);
    if (!node.isObject() || node.isEmpty()) {
      throw new CliException(
          CliException.UNAVAILABLE,
          "identity provider answered " + uri + " with something that is not a JSON object");
    }
    return node;
  }

  private static JsonNode tryParse(String text) {
    try {
      JsonNode node = text == null || text.isBlank() ? null : Http.JSON.readTree(text);
      return node == null ? Http.JSON.createObjectNode() : node;
    } catch (IOException e) {
      return Http.JSON.createObjectNode();
    }
  }

  static String encode(Map<String, String> form) {
    StringJoiner joined = new StringJoiner("&");
    form.forEach(
        (k, v) ->
            joined.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return joined.toString();
  }
}
