package dev.stint.identity;

import java.util.Optional;

/**
 * An email address as stint matches people by it (a directory user to the person whose issuer
 * verified the address, a Slack account to a person seen with it): ASCII letters compared without
 * their case, and nothing else folded. An address with any other character (outside printable
 * ASCII: a space, a control character, a letter of another script) is never matched by email,
 * because Unicode's case rules turn some of those letters into ASCII ones: KELLY with a KELVIN SIGN
 * (U+212A) lower-cases to {@code kelly}, so folding it would let that address take kelly's user.
 * The on-call lookup refuses such addresses for the same reason ({@code facts.FactGatherer}).
 */
public final class Emails {
  private Emails() {}

  /**
   * The form {@code address} is matched in: its ASCII letters in lower case, everything else as
   * written; empty when it may not be matched by at all: a character outside {@code !} to {@code
   * ~}, or not one {@code @} between a local part and a domain.
   */
  public static Optional<String> matchable(String address) {
    if (address == null) {
      return Optional.empty();
    }
    int at = address.indexOf('@');
    if (at <= 0 || at != address.lastIndexOf('@') || at == address.length() - 1) {
      return Optional.empty();
    }
    char[] out = new char[address.length()];
    for (int i = 0; i < out.length; i++) {
      char c = address.charAt(i);
      if (c < '!' || c > '~') {
        return Optional.empty();
      }
      out[i] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
    return Optional.of(new String(out));
  }
}
