package dev.stint.notify.slack;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signature: {@code X-Slack-Signature} is {@code v0=} and the hex HMAC-SHA256,
 * keyed with the app's signing secret, of {@code v0:} + {@code X-Slack-Request-Timestamp} + {@code
 * :} + the raw body. A timestamp more than five minutes from now either way is refused, so a
 * captured request cannot be replayed later; the comparison takes the same time however many
 * characters match. Pure: the caller gives the clock's reading.
 */
public final class SlackSignature {
  public static final String SIGNATURE_HEADER = "X-Slack-Signature";
  public static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
  static final Duration WINDOW = Duration.ofMinutes(5);

  private SlackSignature() {}

  /** Why the request is not Slack's, or empty when it is. */
  public static Optional<String> refuse(
      String secret, String timestamp, String signature, byte[] body, Instant now) {
    if (timestamp == null || signature == null) {
      return Optional.of("no Slack signature");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      return Optional.of("unreadable Slack timestamp");
    }
    // Compared without subtracting the caller's number, which could overflow.
    if (seconds < now.getEpochSecond() - WINDOW.toSeconds()
        || seconds > now.getEpochSecond() + WINDOW.toSeconds()) {
      return Optional.of("Slack timestamp outside five minutes of now");
    }
    byte[] expected = sign(secret, timestamp.strip(), body).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signature.strip().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given)
        ? Optional.empty()
        : Optional.of("wrong Slack signature");
  }

  /** {@code v0=} and the hex HMAC, as Slack computes it. */
  public static String sign(String secret, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
      return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
