package dev.stint.http;

import dev.stint.error.StintException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the list cursors the API hands out. A page of requests or extensions ends after the last
 * row it read, which may be one the caller may not see; in the clear its cursor would name that
 * row's id and time. Sealed (AES-GCM under a key every replica shares, kept in the database like
 * the audit's redaction key), a cursor says nothing, cannot be forged or altered, and still works
 * on any replica and after a restart.
 */
public final class CursorSeal {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte[] CONTEXT = "stint list cursor".getBytes(StandardCharsets.US_ASCII);

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  /** {@code key}: 32 random bytes, the same on every replica. */
  public CursorSeal(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("a cursor key has 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  /** The cursor's text as callers see it. */
  public String seal(String cursor) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher gcm = cipher(Cipher.ENCRYPT_MODE, nonce);
      byte[] sealed = gcm.doFinal(cursor.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** The cursor a caller sent back, or {@code invalid} without echoing it. */
  public String open(String sealed) {
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(sealed);
      if (bytes.length > NONCE_BYTES + TAG_BITS / 8) {
        Cipher gcm = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, NONCE_BYTES));
        return new String(
            gcm.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
      }
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // reported below: not base64, altered, or sealed under another key
    }
    throw StintException.invalid("cursor is not one this server handed out");
  }

  private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    gcm.updateAAD(CONTEXT);
    return gcm;
  }
}
