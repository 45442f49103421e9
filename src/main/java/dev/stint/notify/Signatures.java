package dev.stint.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature: {@code sha256=} hex HMAC-SHA256 over {@code timestamp + "." + body} with
 * the receiver's shared secret. Including the timestamp lets receivers refuse replays.
 */
public final class Signatures {
  public static final String SIGNATURE_HEADER = "X-Stint-Signature";
  public static final String TIMESTAMP_HEADER = "X-Stint-Timestamp";

  private Signatures() {}

  public static String sign(String secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
