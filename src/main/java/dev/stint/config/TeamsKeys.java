package dev.stint.config;

import dev.stint.common.SecureUrls;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The {@code notify.teams.*} keys. A Teams workflow URL authorises posting through the signature in
 * its query string, so no message here ever repeats the value.
 */
final class TeamsKeys {
  private TeamsKeys() {}

  /**
   * The workflow webhook: https, or http to a loopback address (a local stand-in); an absolute URL
   * with a host, no user info and no fragment. The query is kept: it holds the signature.
   */
  static StintConfig.TeamsWebhook webhook(String s) {
    URI uri;
    try {
      uri = new URI(s.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "expected the https URL of a Teams workflow webhook;"
              + " the value is not a URL (not shown: it carries a signature)");
    }
    if (!SecureUrls.httpsOrLoopback(uri)) {
      throw new IllegalArgumentException(
          "must be an https URL (http only to a loopback"
              + " address); the value is not shown: it carries a signature");
    }
    if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "must not have user info or a fragment; the value is"
              + " not shown: it carries a signature");
    }
    return new StintConfig.TeamsWebhook(uri);
  }
}
