package dev.stint.common;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Opaque ids for requests ({@code req_…}), grants ({@code grt_…}), bundles ({@code bdl_…}),
 * extensions ({@code ext_…}), findings ({@code fnd_…}) and issued credentials ({@code crd_…}): 120
 * random bits in lowercase base32, so they cannot be guessed or enumerated (a credential's are
 * preceded by when it was issued).
 */
public final class Ids {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  public Ids() {
    this(Clock.systemUTC());
  }

  public Ids(Clock clock) {
    this.clock = clock;
  }

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

  public String review() {
    return "rvw_" + randomPart();
  }

  public String lease() {
    return "lse_" + randomPart();
  }

  public String finding() {
    return "fnd_" + randomPart();
  }

  public String agent() {
    return "agt_" + randomPart();
  }

  /**
   * A credential's id starts with its issuance time (milliseconds, fixed-width hex), then the same
   * random part: credentials are written in the order they are issued, so the ledger's key (and the
   * activity lookups' that copy it) grows at its right edge instead of touching a random page of a
   * large index at every issuance.
   */
  public String credential() {
    return "crd_" + String.format("%011x", clock.millis()) + randomPart();
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
