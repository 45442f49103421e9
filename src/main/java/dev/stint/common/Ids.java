package dev.stint.common;

import java.security.SecureRandom;

/**
 * Opaque ids for requests ({@code req_…}), grants ({@code grt_…}), bundles ({@code bdl_…}),
 * extensions ({@code ext_…}) and issued credentials ({@code crd_…}): 120 random bits in lowercase
 * base32, so they cannot be guessed or enumerated.
 */
public final class Ids {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private final SecureRandom random = new SecureRandom();

  public String request() {
    return "req_" + randomPart();
  }

  public String grant() {
    return "grt_" + randomPart();
  }

  public String bundle() {
    return "bdl_" + randomPart();
  }

  public String extension() {
    return "ext_" + randomPart();
  }

  public String credential() {
    return "crd_" + randomPart();
  }

  private String randomPart() {
    byte[] bytes = new byte[15];
    random.nextBytes(bytes);
    StringBuilder out = new StringBuilder(24);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    return out.toString();
  }
}
