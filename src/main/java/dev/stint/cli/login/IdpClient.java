package dev.stint.cli.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.BlockingHttp;
import dev.stint.cli.CliException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
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
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Made on first use: every command holds an IdpClient, and most runs never read JSON here. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
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
    BlockingHttp.Answer response = send("GET", uri, null);
    if (response.status() != 200) {
      throw new CliException(
          CliException.UNAVAILABLE,
          "identity provider answered HTTP " + response.status() + " for " + uri);
    }
    return parse(uri, response.body());
  }

  /** Posts a form; a 2xx JSON object is returned, an OAuth error answer is thrown. */
  JsonNode postForm(URI uri, Map<String, String> form) throws OAuthError {
    BlockingHttp.Answer response = send("POST", uri, encode(form));
    int status = response.status();
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
    return send("POST", uri, encode(form)).status();
  }

  private static BlockingHttp.Answer send(String method, URI uri, String form) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "application/json");
    if (form != null) {
      headers.put("Content-Type", "application/x-www-form-urlencoded");
    }
    try {
      return BlockingHttp.send(method, uri, headers, form, CONNECT_TIMEOUT, TIMEOUT);
    } catch (IOException e) {
      throw new CliException(
          CliException.UNAVAILABLE,
          "cannot reach the identity provider at "
              + uri.getScheme()
              + "://"
              + uri.getAuthority()
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
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
      JsonNode node = text == null || text.isBlank() ? null : Json.MAPPER.readTree(text);
      return node == null ? Json.MAPPER.createObjectNode() : node;
    } catch (IOException e) {
      return Json.MAPPER.createObjectNode();
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
