package dev.stint.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What the audit keeps instead of a token: a SHA-256 fingerprint, enough to correlate. Here rather
 * than in audit because the token verifier keys its cache of verified tokens by it too, so it never
 * holds a token itself.
 */
public final class Fingerprints {
  private Fingerprints() {}

  /** {@code sha256:} followed by the lowercase hex SHA-256 of the UTF-8 bytes of {@code value}. */
  public static String sha256(String value) {
    return "sha256:" + sha256Hex(value.getBytes(StandardCharsets.UTF_8));
  }

  /** The lowercase hex SHA-256 of {@code bytes}, without a prefix. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
