package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The webhook signature as a receiver checks it, computed independently of stint's signer: a known
 * answer (HMAC-SHA256 over {@code timestamp + "." + body}, worked out with Python's hmac module),
 * and a timestamp that is covered, so a replay with another timestamp fails.
 */
class SignaturesTest {
  private static final String SECRET = "whsec-test-secret-0123456789";
  private static final byte[] BODY =
      "{\"event\":\"request.created\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void matchesAnIndependentlyComputedSignature() {
    assertThat(Signatures.sign(SECRET, 1_764_100_000L, BODY))
        .isEqualTo("sha256=4618cced3a3a2a52b96071f42a88382474a4a003e6ba4f8163d2543cdebfb81b");
  }

  @Test
  void theTimestampIsPartOfWhatIsSigned() {
    assertThat(Signatures.sign(SECRET, 1_764_100_001L, BODY))
        .isNotEqualTo(Signatures.sign(SECRET, 1_764_100_000L, BODY));
  }
}
