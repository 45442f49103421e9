package dev.stint.audit;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET|POST /v1/audit/verify}: the chain walk, checked against signed checkpoints where there
 * are any (the checkpoint package provides that; this package only walks).
 */
public interface AuditVerification {

  /**
   * The walk's result, how many checkpoints it was held against and the newest one's seq, and
   * whether it started at that checkpoint instead of at seq 1.
   */
  record Verdict(
      ChainVerifier.Result result,
      int checkpoints,
      Optional<Long> checkpointSeq,
      boolean incremental) {}

  /**
   * Verifies against {@code checkpoints} (compact JWS) when given, else against the server's own
   * (its readable anchors, or its database); incrementally from the newest checkpoint if asked.
   */
  Future<Verdict> verify(Optional<List<String>> checkpoints, boolean incremental);

  /** The chain alone: no checkpoints are known here. */
  static AuditVerification chainOnly(ChainVerifier chain) {
    return (checkpoints, incremental) ->
        chain.verify().map(r -> new Verdict(r, 0, Optional.empty(), false));
  }
}
