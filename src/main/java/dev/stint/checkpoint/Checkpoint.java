package dev.stint.checkpoint;

import dev.stint.common.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * A signed statement of the chain head: "at {@code time}, the event at {@code seq} had {@code
 * hash}", linked to the checkpoint before it by that one's {@link #digest()}, so a missing or
 * replaced checkpoint breaks the line the way a missing row breaks the chain.
 *
 * @param jws the compact JWS as written to every anchor; its signature covers every other field
 */
public record Checkpoint(
    long seq, String hash, Instant time, Optional<String> prevDigest, String kid, String jws) {

  /** The JWS header's {@code typ}: tells a checkpoint apart from any other token the key signs. */
  public static final String TYPE = "stint-checkpoint+jwt";

  /** The lowercase hex SHA-256 of the compact JWS: what the next checkpoint names as prev. */
  public String digest() {
    return digestOf(jws);
  }

  static String digestOf(String jws) {
    return Fingerprints.sha256Hex(jws.getBytes(StandardCharsets.US_ASCII));
  }

  /** {@code checkpoint-00000000000000001234.jws}: names sort in seq order. */
  public String fileName() {
    return String.format("checkpoint-%020d.jws", seq);
  }
}
