package dev.stint.identity;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Issuer URLs that name no identity provider: hosts under the domains reserved for examples and for
 * names that must never resolve (RFC 2606, RFC 6761), such as the shipped policy's {@code
 * https://login.example.com}. No one can run an IdP there, so a policy whose people's issuers are
 * all such names has no identity provider configured: nobody can sign in.
 */
public final class PlaceholderIssuers {
  private static final List<String> RESERVED =
      List.of("example.com", "example.net", "example.org", "invalid");

  private PlaceholderIssuers() {}

  /** Whether {@code issuerUrl}'s host is a reserved example or invalid name. */
  public static boolean isPlaceholder(String issuerUrl) {
    String host;
    try {
      host = URI.create(issuerUrl).getHost();
    } catch (IllegalArgumentException e) {
      return false; // not a URL at all: the policy loader says so, not this
    }
    if (host == null) {
      return false;
    }
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    for (String reserved : RESERVED) {
      if (name.equals(reserved) || name.endsWith("." + reserved)) {
        return true;
      }
    }
    return false;
  }
}
