package dev.stint.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IPv4 and IPv6 address literals, read without ever resolving a name: a security rule (a source
 * network, "plain http only to this machine") must not depend on what DNS answers today.
 */
public final class IpLiterals {
  /**
   * Dotted-quad IPv4 or anything-with-a-colon IPv6: text like "beef" must not reach
   * InetAddress.getByName, which would look it up in DNS.
   */
  private static final Pattern LITERAL =
      Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*");

  private IpLiterals() {}

  /** The address {@code text} spells ({@code [::1]} and {@code ::1} alike), empty if none. */
  public static Optional<InetAddress> parse(String text) {
    String t =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (t.isEmpty() || !LITERAL.matcher(t).matches()) {
      return Optional.empty(); // never resolve names
    }
    try {
      return Optional.of(InetAddress.getByName(t));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
