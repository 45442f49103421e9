package dev.stint.lease;

import dev.stint.common.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lease's own secret: handed to its creator once, kept only as its SHA-256, and found by that
 * hash. It is {@code stl_}, the lease id's random part, a dot, then 256 random bits: the prefix
 * tells it from an OIDC token at a glance, so a bearer that is neither is refused without a lookup;
 * the id lets an agent holding only the token name the lease it mints on (it is no secret: the
 * lease id is in every record of it).
 */
public final class LeaseTokens {
  static final String PREFIX = "stl_";
  private static final String LEASE_PREFIX = "lse_";
  private static final Pattern SHAPE = Pattern.compile("stl_([a-z2-7]{24})\\.[A-Za-z0-9_-]{43}");

  private final SecureRandom random = new SecureRandom();

  /** A new token for lease {@code leaseId}; the caller keeps only {@link #hash} of it. */
  public String issue(String leaseId) {
    if (!leaseId.matches("lse_[a-z2-7]{24}")) {
      throw new IllegalArgumentException("not a lease id");
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return PREFIX
        + leaseId.substring(LEASE_PREFIX.length())
        + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether {@code bearer} has a lease token's shape (and is worth a lookup). */
  public static boolean looksLike(String bearer) {
    return bearer != null && SHAPE.matcher(bearer).matches();
  }

  /** The lease a token of that shape names; the lookup by its hash must still find that lease. */
  public static Optional<String> leaseOf(String bearer) {
    if (bearer == null) {
      return Optional.empty();
    }
    Matcher m = SHAPE.matcher(bearer);
    return m.matches() ? Optional.of(LEASE_PREFIX + m.group(1)) : Optional.empty();
  }

  /** The lowercase hex SHA-256 a token is stored and found by. */
  public static String hash(String token) {
    return Fingerprints.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
  }
}
