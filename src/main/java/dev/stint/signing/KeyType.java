package dev.stint.signing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;

/** The kinds of signing key stint generates: RSA (RS256) or EC P-256 (ES256). */
public enum KeyType {
  RSA,
  EC;

  public static final List<Integer> RSA_SIZES = List.of(2048, 3072, 4096);

  /** A new key pair; {@code rsaBits} is ignored for EC, which is always P-256. */
  public KeyPair generate(int rsaBits) {
    try {
      if (this == RSA) {
        if (!RSA_SIZES.contains(rsaBits)) {
          throw new IllegalArgumentException(
              "RSA keys are 2048, 3072 or 4096 bits, not " + rsaBits);
        }
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(rsaBits);
        return rsa.generateKeyPair();
      }
      KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
      ec.initialize(new ECGenParameterSpec("secp256r1"));
      return ec.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate " + this + " keys", e);
    }
  }
}
