package dev.stint.retention;

import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.audit.ChainHash;
import dev.stint.checkpoint.Anchor;
import dev.stint.checkpoint.Checkpoint;
import dev.stint.checkpoint.CheckpointClaims;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Whether a month continues what the audit has kept so far. Retention signs an export checkpoint
 * for every month it drops, and verify then trusts the kept chain from there; so it must never sign
 * for a month that does not follow seq 1 or an earlier, properly signed export. Otherwise someone
 * able to delete the oldest rows (triggers off) would have the next export vouch for the hole, and
 * verify would call the rest whole.
 */
final class Kept {
  private Kept() {}

  static void checkFollowsWhatWasKept(
      List<Anchor> anchors, JWKSet published, long firstSeq, String firstPrevHash)
      throws IOException {
    if (firstSeq == 1) {
      if (!ChainHash.GENESIS.equals(firstPrevHash)) {
        throw new IOException("seq 1 does not start the chain; nothing exported");
      }
      return;
    }
    String name = String.format("checkpoint-%020d-export.jws", firstSeq - 1);
    for (Anchor a : anchors) {
      if (a instanceof Anchor.Objects objects
          && exportedBefore(objects, name, published, firstSeq - 1, firstPrevHash)) {
        return;
      }
    }
    throw new IOException(
        "seq "
            + (firstSeq - 1)
            + " is neither exported (no valid "
            + name
            + " at an anchor) nor in the database: the events before seq "
            + firstSeq
            + " are missing; nothing exported or dropped until that is explained");
  }

  private static boolean exportedBefore(
      Anchor.Objects anchor, String name, JWKSet published, long seq, String hash) {
    String jws;
    try (InputStream in = anchor.open(name)) {
      jws = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return false;
    }
    try {
      Checkpoint c = CheckpointClaims.verify(jws, published);
      return CheckpointClaims.isExport(c) && c.seq() == seq && c.hash().equals(hash);
    } catch (CheckpointClaims.InvalidCheckpoint e) {
      return false;
    }
  }
}
