package dev.stint.app;

import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.audit.AuditLog;
import dev.stint.audit.ChainVerifier;
import dev.stint.checkpoint.Anchor;
import dev.stint.checkpoint.Checkpoint;
import dev.stint.checkpoint.CheckpointSigner;
import dev.stint.checkpoint.CheckpointStore;
import dev.stint.checkpoint.CheckpointVerification;
import dev.stint.checkpoint.Checkpointer;
import dev.stint.checkpoint.DirectoryAnchor;
import dev.stint.checkpoint.S3Anchor;
import dev.stint.checkpoint.TamperWatch;
import dev.stint.checkpoint.WebhookAnchor;
import dev.stint.config.CheckpointConfig;
import dev.stint.http.ReadinessCheck;
import dev.stint.notify.Alarms;
import dev.stint.signing.CheckpointKeyring;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Signed checkpoints (when {@code audit.checkpoints} is set): the anchors, the checkpointer, the
 * tamper watch, and the verification {@code /v1/audit/verify} uses. Without the setting, verify
 * still checks whatever signed checkpoints the database holds from earlier.
 */
final class AuditCheckpoints implements AutoCloseable {
  private final Optional<Checkpointer> checkpointer;
  private final Optional<TamperWatch> watch;
  private final CheckpointVerification verification;
  private final List<Anchor> anchors;
  private final CheckpointStore store;
  private final JWKSet published;

  /** What checkpoints need from the rest of the server. */
  record Needs(Pool pool, AuditLog audit, CheckpointKeyring keys, String issuer, Alarms alarm) {}

  AuditCheckpoints(
      Vertx vertx,
      Optional<CheckpointConfig> config,
      Needs needs,
      MeterRegistry meters,
      Clock clock) {
    store = new CheckpointStore(needs.pool());
    // Only the checkpoints' own keys (and the legacy ones): never the federation keys.
    published = needs.keys().published();
    List<Anchor> anchors = new ArrayList<>();
    config.ifPresent(c -> c.anchors().forEach(a -> anchors.add(anchor(a, clock))));
    this.anchors = List.copyOf(anchors);
    List<Anchor.Readable> readable =
        anchors.stream()
            .filter(Anchor.Readable.class::isInstance)
            .map(Anchor.Readable.class::cast)
            .toList();
    CheckpointVerification.Source own =
        readable.isEmpty()
            ? () -> store.jwsAfter(0)
            : CheckpointVerification.anchors(vertx, readable);
    verification =
        new CheckpointVerification(vertx, new ChainVerifier(needs.pool()), () -> published, own);
    checkpointer =
        config.map(
            c ->
                new Checkpointer(
                    vertx,
                    new Checkpointer.Parts(
                        store,
                        new CheckpointSigner(needs.issuer(), needs.keys().active()),
                        anchors),
                    c,
                    meters,
                    clock));
    watch =
        config.map(
            c ->
                new TamperWatch(
                    vertx,
                    new TamperWatch.Parts(verification, store, needs.audit(), needs.alarm()),
                    c.verifyEvery(),
                    meters));
  }

  /**
   * Starts signing and watching once the newest stored checkpoint's key is one checkpoints verify
   * under. A line signed before checkpoints had keys of their own (with a federation key), or with
   * a checkpoint key since lost, would otherwise raise the tamper alarm, which stays until a
   * restart and is written into the audit, instead of saying what to configure.
   */
  Future<Void> start() {
    if (checkpointer.isEmpty()) {
      return Future.succeededFuture();
    }
    return store
        .latest()
        .compose(
            newest -> {
              Optional<Checkpoint> unknown =
                  newest.filter(c -> published.getKeyByKeyId(c.kid()) == null);
              if (unknown.isPresent()) {
                return Future.failedFuture(
                    "the newest checkpoint (seq "
                        + unknown.get().seq()
                        + ") was signed with key "
                        + unknown.get().kid()
                        + ", which is not a checkpoint key:"
                        + " if it signed federation tokens (before checkpoints had keys of their own), set"
                        + " audit.checkpoint_legacy_jwks to a JWKS file holding it (a saved copy of"
                        + " /.well-known/jwks.json); if it was a checkpoint key, configure it in"
                        + " audit.checkpoint_keys");
              }
              checkpointer.ifPresent(Checkpointer::start);
              watch.ifPresent(TamperWatch::start);
              return Future.succeededFuture();
            });
  }

  private static Anchor anchor(CheckpointConfig.Anchor a, Clock clock) {
    if (a instanceof CheckpointConfig.Dir dir) {
      return new DirectoryAnchor(dir.path());
    }
    if (a instanceof CheckpointConfig.S3 s3) {
      return S3Anchor.of(s3, clock);
    }
    CheckpointConfig.Webhook hook = (CheckpointConfig.Webhook) a;
    return new WebhookAnchor(hook.url(), hook.id());
  }

  /** The configured anchors; retention exports to them too. */
  List<Anchor> anchors() {
    return anchors;
  }

  CheckpointVerification verification() {
    return verification;
  }

  /** {@code /readyz}'s "audit_chain": not ready once tampering was detected. */
  ReadinessCheck readiness() {
    return new ReadinessCheck(
        "audit_chain", () -> watch.map(TamperWatch::readiness).orElse(Future.succeededFuture()));
  }

  /** Test seams: one checkpoint round, one tamper check, now. */
  Optional<Checkpointer> checkpointer() {
    return checkpointer;
  }

  Optional<TamperWatch> watch() {
    return watch;
  }

  @Override
  public void close() {
    watch.ifPresent(TamperWatch::close);
    checkpointer.ifPresent(Checkpointer::close);
  }
}
