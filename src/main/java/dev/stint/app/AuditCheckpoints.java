package dev.stint.app;

import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.audit.AuditLog;
import dev.stint.audit.ChainVerifier;
import dev.stint.checkpoint.Anchor;
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
import dev.stint.signing.SigningKeys;
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

  /** What checkpoints need from the rest of the server. */
  record Needs(Pool pool, AuditLog audit, SigningKeys keys, String issuer, Alarms alarm) {}

  AuditCheckpoints(Vertx vertx, Optional<CheckpointConfig> config, Needs needs,
      MeterRegistry meters, Clock clock) {
    CheckpointStore store = new CheckpointStore(needs.pool());
    JWKSet published = needs.keys().publicJwkSet();
    List<Anchor> anchors = new ArrayList<>();
    config.ifPresent(c -> c.anchors().forEach(a -> anchors.add(anchor(a, clock))));
    this.anchors = List.copyOf(anchors);
    List<Anchor.Readable> readable = anchors.stream().filter(Anchor.Readable.class::isInstance)
        .map(Anchor.Readable.class::cast).toList();
    CheckpointVerification.Source own = readable.isEmpty() ? () -> store.jwsAfter(0)
        : CheckpointVerification.anchors(vertx, readable);
    verification = new CheckpointVerification(vertx, new ChainVerifier(needs.pool()),
        () -> published, own);
    checkpointer = config.map(c -> new Checkpointer(vertx, new Checkpointer.Parts(store,
        new CheckpointSigner(needs.issuer(), needs.keys().active()), anchors), c, meters, clock));
    watch = config.map(c -> new TamperWatch(vertx, new TamperWatch.Parts(verification, store,
        needs.audit(), needs.alarm()), c.verifyEvery(), meters));
    checkpointer.ifPresent(Checkpointer::start);
    watch.ifPresent(TamperWatch::start);
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
    return new ReadinessCheck("audit_chain", () -> watch.map(TamperWatch::readiness)
        .orElse(Future.succeededFuture()));
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
