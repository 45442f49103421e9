package dev.stint.mint.aws;

/**
 * Turns a person (email or subject) into a valid {@code RoleSessionName}: only {@code [\w+=,.@-]},
 * 2 to 64 characters. Characters outside the set become {@code -}, so {@code jane.doe@example.com}
 * stays readable in CloudTrail. A name for people only: it may change between mints (a token
 * without the email claim), so nothing keys on it; revocation uses the grant tag and {@link
 * SourceIdentities}.
 */
public final class SessionNames {
  static final int MAX = 64;

  /** Used when nothing of the person survives; AWS requires at least 2 characters. */
  static final String FALLBACK = "stint-user";

  private SessionNames() {}

  public static String of(String person) {
    StringBuilder b = new StringBuilder(Math.min(person.length(), MAX));
    person.codePoints().limit(MAX).forEach(c -> b.append(allowed(c) ? (char) c : '-'));
    String name = b.toString();
    if (name.chars().allMatch(c -> c == '-')) {
      return FALLBACK;
    }
    return name.length() < 2 ? name + "-" : name;
  }

  private static boolean allowed(int c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || "_+=,.@-".indexOf(c) >= 0;
  }
}
