package dev.stint.mint.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what google-auth-library throws into a caller-safe {@link StintException}: Google said no
 * ({@code forbidden}) or Google could not be reached in time ({@code upstream_unavailable}). The
 * caller sees only the profile; the log gets Google's HTTP status and error status.
 */
final class GcpErrors {
  /** What Google answered, as far as it can be told from the exception chain. */
  record Upstream(int httpStatus, String googleStatus) {
    static final Upstream NONE = new Upstream(0, "");
  }

  // RFC 6749/8693 errors that mean "not allowed", as STS reports them. Anything else from STS
  // (server_error, temporarily_unavailable, unparseable bodies) counts as unavailable.
  private static final Set<String> REFUSALS =
      Set.of(
          "invalid_request",
          "invalid_grant",
          "unauthorized_client",
          "invalid_client",
          "access_denied",
          "invalid_scope",
          "invalid_target",
          "unsupported_grant_type",
          "unsupported_token_type");
  // google-auth-library's STS error, OAuthException, is package-private and keeps no HTTP status;
  // its message reads "Error code CODE: description". GcpMinterTest pins this down.
  private static final String OAUTH_EXCEPTION = "com.google.auth.oauth2.OAuthException";
  private static final Pattern OAUTH_MESSAGE = Pattern.compile("^Error code ([a-z_]+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(GcpErrors.class);

  private GcpErrors() {}

  static Upstream upstream(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof HttpResponseException http) {
        return new Upstream(http.getStatusCode(), googleStatus(http.getContent()));
      }
      if (OAUTH_EXCEPTION.equals(t.getClass().getName()) && t.getMessage() != null) {
        Matcher m = OAUTH_MESSAGE.matcher(t.getMessage());
        if (m.find()) {
          return new Upstream(0, m.group(1));
        }
      }
    }
    return Upstream.NONE;
  }

  static boolean refused(Upstream upstream) {
    int s = upstream.httpStatus();
    if (s == 400 || s == 401 || s == 403 || s == 404) {
      return true;
    }
    return s == 0 && REFUSALS.contains(upstream.googleStatus());
  }

  static StintException refusal(String profile, Throwable cause) {
    return new StintException(
        ErrorCode.FORBIDDEN, "Google refused to issue a token for profile " + profile, cause);
  }

  static StintException unavailable(String profile, Throwable cause) {
    return new StintException(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        "Google is unavailable; no token "
            + "was issued for profile "
            + profile
            + "; try again shortly",
        cause);
  }

  /**
   * stint could not sign its own token: the signer's error when it is caller-safe, else internal.
   */
  static StintException signing(String profile, Throwable cause) {
    if (cause instanceof StintException stint) {
      return stint;
    }
    LOG.error("Signing the GCP subject token for profile {} failed", profile, cause);
    return new StintException(
        ErrorCode.INTERNAL, "stint could not sign a token for profile " + profile, cause);
  }

  /** {@code error.status} of a Google API error body ({@code PERMISSION_DENIED}, …). */
  private static String googleStatus(String content) {
    if (content == null || content.isBlank()) {
      return "";
    }
    try {
      JsonNode error = JSON.readTree(content).path("error");
      return error.isTextual() ? error.asText() : error.path("status").asText("");
    } catch (IOException e) {
      return "";
    }
  }
}
