package dev.stint.checkpoint;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.audit.AuditVerification;
import dev.stint.audit.ChainVerifier;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.text.ParseException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The chain walk held against signed checkpoints. Each checkpoint must verify under a published key
 * and name the one before it; then every checkpointed seq must still carry its signed hash, and the
 * chain must reach the newest one. What fails first is reported with the layer that caught it:
 * {@code chain} (the rows disagree with each other) or {@code checkpoint} (they agree, but not with
 * what was signed: a recomputed chain, a cut-off tail, or a bad checkpoint).
 */
public final class CheckpointVerification implements AuditVerification {
  private final Vertx vertx;
  private final ChainVerifier chain;
  private final Supplier<JWKSet> keys;
  private final Source own;

  /** Where the server's own checkpoints come from when the caller gives none. */
  @FunctionalInterface
  public interface Source {
    Future<List<String>> read();
  }

  public CheckpointVerification(
      Vertx vertx, ChainVerifier chain, Supplier<JWKSet> keys, Source own) {
    this.vertx = vertx;
    this.chain = chain;
    this.keys = keys;
    this.own = own;
  }

  /** A source that reads readable anchors (off the event loop), in order, and merges them. */
  public static Source anchors(Vertx vertx, List<Anchor.Readable> anchors) {
    return () ->
        vertx.executeBlocking(
            () -> {
              List<String> all = new ArrayList<>();
              for (Anchor.Readable a : anchors) {
                try {
                  all.addAll(a.readAll());
                } catch (IOException e) {
                  throw new StintException(
                      ErrorCode.AUDIT_UNAVAILABLE,
                      "checkpoints at " + a.id() + " cannot be read now",
                      e);
                }
              }
              return all;
            },
            false);
  }

  /** The server's own checkpoints: its readable anchors', or its database's. */
  public Future<List<String>> ownCheckpoints() {
    return own.read();
  }

  @Override
  public Future<Verdict> verify(Optional<List<String>> given, boolean incremental) {
    return given
        .map(Future::succeededFuture)
        .orElseGet(own::read)
        .compose(
            jws -> verifyFrom(jws, incremental ? Optional.of(Long.MAX_VALUE) : Optional.empty()));
  }

  /**
   * Verifies against {@code jws}; with {@code startAt}, the walk starts at the newest checkpoint at
   * or below that seq (older rows were verified when that checkpoint was).
   */
  public Future<Verdict> verifyFrom(List<String> jws, Optional<Long> startAt) {
    TreeMap<Long, Checkpoint> bySeq = new TreeMap<>();
    // Retention exports' checkpoints stand beside the line: they vouch for where the kept
    // events begin once older ones were exported and dropped.
    TreeMap<Long, String> exported = new TreeMap<>();
    for (String text : jws) {
      Checkpoint c;
      try {
        c = CheckpointClaims.verify(text, keys.get());
      } catch (CheckpointClaims.InvalidCheckpoint e) {
        return broken(claimedSeq(text), "a checkpoint cannot be trusted: " + e.getMessage());
      }
      if (CheckpointClaims.isExport(c)) {
        String hash = exported.putIfAbsent(c.seq(), c.hash());
        if (hash != null && !hash.equals(c.hash())) {
          return broken(
              c.seq(), "two export checkpoints give seq " + c.seq() + " different hashes");
        }
        continue;
      }
      Checkpoint same = bySeq.putIfAbsent(c.seq(), c);
      if (same != null && !same.jws().equals(c.jws())) {
        return broken(c.seq(), "two different signed checkpoints claim seq " + c.seq());
      }
    }
    Optional<Verdict> line = line(bySeq);
    if (line.isPresent()) {
      return Future.succeededFuture(line.get());
    }
    TreeMap<Long, String> signed = new TreeMap<>();
    bySeq.forEach((seq, c) -> signed.put(seq, c.hash()));
    Optional<Map.Entry<Long, String>> from =
        startAt
            .flatMap(at -> Optional.ofNullable(signed.floorEntry(at)))
            .map(e -> new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
    Optional<Long> newest = signed.isEmpty() ? Optional.empty() : Optional.of(signed.lastKey());
    return chain
        .verify(new ChainVerifier.Expected(signed, from, exported))
        .map(r -> new Verdict(r, signed.size(), newest, from.isPresent()));
  }

  /**
   * Each checkpoint must name the one before it. The first one given may name one that is not given
   * (a caller may send only recent checkpoints); any later gap means one was removed.
   */
  private static Optional<Verdict> line(TreeMap<Long, Checkpoint> bySeq) {
    Checkpoint before = null;
    for (Checkpoint c : bySeq.values()) {
      if (before != null && !c.prevDigest().equals(Optional.of(before.digest()))) {
        return Optional.of(
            new Verdict(
                ChainVerifier.Result.broken(
                    c.seq(),
                    "the checkpoint at seq "
                        + c.seq()
                        + " does not name the one at seq "
                        + before.seq()
                        + " as its predecessor: a checkpoint between them was removed or replaced",
                    ChainVerifier.CHECKPOINT),
                bySeq.size(),
                Optional.of(bySeq.lastKey()),
                false));
      }
      before = c;
    }
    return Optional.empty();
  }

  private static Future<Verdict> broken(long seq, String problem) {
    return Future.succeededFuture(
        new Verdict(
            ChainVerifier.Result.broken(seq, problem, ChainVerifier.CHECKPOINT),
            0,
            Optional.empty(),
            false));
  }

  /** The seq a checkpoint claims, unverified, only to name it in a report; 0 if unreadable. */
  private static long claimedSeq(String jws) {
    try {
      Object seq = SignedJWT.parse(jws.strip()).getJWTClaimsSet().getClaim(CheckpointClaims.SEQ);
      return seq instanceof Number n ? n.longValue() : 0;
    } catch (ParseException e) {
      return 0;
    }
  }
}
