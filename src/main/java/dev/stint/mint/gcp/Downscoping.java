package dev.stint.mint.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.UrlEncodedContent;
import dev.stint.cloud.GcpTarget;
import dev.stint.common.FilledDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Binds a Credential Access Boundary to a Google access token: Google STS {@code POST /v1/token}
 * exchanges the token for a downscoped one, which can do no more than the boundary allows.
 *
 * <p>google-auth-library's {@code DownscopedCredentials} does this exchange, but only at {@code
 * https://sts.UNIVERSE_DOMAIN/v1/token}: it cannot be pointed at {@code gcp.sts_endpoint} (a VPC-SC
 * private endpoint, a test's local stand-in), and its STS error keeps no HTTP status, so a refusal
 * could be told from an outage only by an OAuth error code Google need not send. The same exchange
 * is made here through the minter's own transport, under its deadline, as Google's STS reference
 * describes it.
 */
final class Downscoping {
  static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
  static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

  /** Google's limit on the {@code options} value, the filled boundary, in characters. */
  static final int MAX_OPTIONS_CHARS = GcpTarget.MAX_ACCESS_BOUNDARY_CHARS;

  private static final ObjectMapper JSON = new ObjectMapper();

  private Downscoping() {}

  /**
   * Why Google would refuse {@code boundary} whatever the token, or empty: checked before any call
   * to Google, so a boundary filled past the limit never costs a token.
   */
  static Optional<String> refusal(FilledDocument boundary) {
    if (boundary.length() > MAX_OPTIONS_CHARS) {
      return Optional.of(
          "the filled access boundary is "
              + boundary.length()
              + " characters; Google STS takes at most "
              + MAX_OPTIONS_CHARS);
    }
    return Optional.empty();
  }

  /**
   * {@code source} exchanged for a token bound by {@code boundary}. It expires when {@code source}
   * does: a downscoped token keeps its source token's lifetime.
   *
   * @param boundary the filled {@code {"accessBoundary": {...}}}, sent as the {@code options}
   * @throws IOException as google-http-client reports it; an error answer is an {@code
   *     HttpResponseException} with Google's status and body
   */
  /** Far more than a token answer takes; an answer longer than this is not read. */
  static final int MAX_ANSWER_BYTES = 64 * 1024;

  static GcpToken downscope(
      GcpToken source, FilledDocument boundary, String endpoint, HttpTransport transport)
      throws IOException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", GRANT_TYPE);
    form.put("subject_token_type", ACCESS_TOKEN_TYPE);
    form.put("requested_token_type", ACCESS_TOKEN_TYPE);
    form.put("subject_token", source.accessToken());
    form.put("options", boundary.json());
    // No Authorization header: the subject token is the credential, and Google's reference warns
    // that the header can make the exchange fail.
    HttpRequest request =
        transport
            .createRequestFactory()
            .buildPostRequest(new GenericUrl(endpoint), new UrlEncodedContent(form))
            // A redirect would post the source token again, to wherever it points.
            .setFollowRedirects(false);
    HttpResponse response = request.execute();
    String body;
    try (InputStream in = response.getContent()) {
      byte[] read = in == null ? new byte[0] : in.readNBytes(MAX_ANSWER_BYTES + 1);
      if (read.length > MAX_ANSWER_BYTES) {
        throw new IOException("Google STS answered more than " + MAX_ANSWER_BYTES + " bytes");
      }
      body = new String(read, StandardCharsets.UTF_8);
    } finally {
      response.disconnect();
    }
    return new GcpToken(accessToken(body), source.expiresAt());
  }

  private static String accessToken(String body) throws IOException {
    JsonNode answer;
    try {
      answer = JSON.readTree(body);
    } catch (IOException e) {
      throw new IOException("Google STS answered with no JSON", e);
    }
    JsonNode token = answer == null ? null : answer.get("access_token");
    if (token == null || !token.isTextual() || token.asText().isEmpty()) {
      throw new IOException("Google STS answered without an access_token");
    }
    if (!ACCESS_TOKEN_TYPE.equals(answer.path("issued_token_type").asText())) {
      throw new IOException("Google STS issued no access token");
    }
    return token.asText();
  }
}
