package dev.stint.checkpoint;

import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.audit.AuditLog;
import dev.stint.audit.ChainVerifier;
import dev.stint.config.CheckpointConfig;
import dev.stint.signing.CheckpointKeyring;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Signed checkpoints (when {@code audit.checkpoints} is set), assembled for {@code app}: the
 * anchors, the checkpointer, the tamper watch, and the verification {@code /v1/audit/verify} uses,
 * over the package's own store. Without the setting, verify still checks whatever signed
 * checkpoints the database holds from earlier.
 */
public final class Checkpoints implements AutoCloseable {
  private final Optional<Checkpointer> checkpointer;
  private final Optional<TamperWatch> watch;
  private final CheckpointVerification verification;
  private final List<Anchor> anchors;
  private final CheckpointStore store;
  private final JWKSet published;

  /** What checkpoints need from the rest of the server; {@code alarm} hears of a tampered chain. */
  public record Needs(
      Pool pool,
      AuditLog audit,
      CheckpointKeyring keys,
      String issuer,
      Consumer<ChainVerifier.Result> alarm) {}

  public Checkpoints(
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
  public Future<Void> start() {
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
  public List<Anchor> anchors() {
    return anchors;
  }

  public CheckpointVerification verification() {
    return verification;
  }

  /** For {@code /readyz}'s "audit_chain": failed once tampering was detected. */
  public Future<Void> readiness() {
    return watch.map(TamperWatch::readiness).orElse(Future.succeededFuture());
  }

  /** One checkpoint round now (signs when due, delivers what anchors lack). */
  public Future<?> roundNow() {
    return checkpointer.map(c -> (Future<?>) c.round()).orElse(Future.succeededFuture());
  }

  /** One tamper check now; answers the break found, if any. */
  public Future<Optional<ChainVerifier.Result>> checkNow() {
    return watch.map(TamperWatch::check).orElse(Future.succeededFuture(Optional.empty()));
  }

  @Override
  public void close() {
    watch.ifPresent(TamperWatch::close);
    checkpointer.ifPresent(Checkpointer::close);
  }
}
