package dev.stint.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What the audit keeps instead of a token: a SHA-256 fingerprint, enough to correlate. */
public final class Fingerprints {
  private Fingerprints() {}

  /** {@code sha256:} followed by the lowercase hex SHA-256 of the UTF-8 bytes of {@code value}. */
  public static String sha256(String value) {
    return "sha256:" + hex(value.getBytes(StandardCharsets.UTF_8));
  }

  static String hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
