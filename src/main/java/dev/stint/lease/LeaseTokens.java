package dev.stint.lease;

import dev.stint.common.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A lease's own secret: handed to its creator once, kept only as its SHA-256, and found by that
 * hash. It is 256 random bits after a prefix ({@code stl_}) that tells it from an OIDC token at a
 * glance, so a bearer that is neither is refused without a lookup.
 */
public final class LeaseTokens {
  static final String PREFIX = "stl_";
  private static final Pattern SHAPE = Pattern.compile("stl_[A-Za-z0-9_-]{43}");

  private final SecureRandom random = new SecureRandom();

  /** A new token; the caller keeps only {@link #hash} of it. */
  public String issue() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether {@code bearer} has a lease token's shape (and is worth a lookup). */
  public static boolean looksLike(String bearer) {
    return bearer != null && SHAPE.matcher(bearer).matches();
  }

  /** The lowercase hex SHA-256 a token is stored and found by. */
  public static String hash(String token) {
    return Fingerprints.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
  }
}
