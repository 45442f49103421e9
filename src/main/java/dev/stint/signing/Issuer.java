package dev.stint.signing;

import java.net.URI;

/** The issuer identifier derived from {@code public_url}, written the same way everywhere. */
final class Issuer {
  private Issuer() {}

  /**
   * {@code public_url} without a trailing slash: clouds compare {@code iss} with their configured
   * issuer byte for byte, and discovery appends {@code /.well-known/...} to it.
   */
  static String of(URI publicUrl) {
    String s = publicUrl.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
