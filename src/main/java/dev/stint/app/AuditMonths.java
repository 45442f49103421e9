package dev.stint.app;

import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.audit.AuditLog;
import dev.stint.audit.AuditReader;
import dev.stint.checkpoint.Anchor;
import dev.stint.checkpoint.CheckpointSigner;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.SinkConfig;
import dev.stint.config.StintConfig;
import dev.stint.retention.AuditMaintenance;
import dev.stint.retention.AuditRetention;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The audit table's months: partitions kept ahead, and {@code audit.retention} when set (the
 * configuration already refused retention without an anchor that keeps files).
 */
final class AuditMonths implements AutoCloseable {
  private final AuditMaintenance maintenance;

  /**
   * What the months need from the rest of the server; {@code owner} detaches and drops. The signer
   * is asked for only with retention set, which needs checkpoints and so their key.
   */
  record Needs(
      Pool pool,
      DatabaseUrl owner,
      AuditLog audit,
      Supplier<CheckpointSigner> signer,
      Supplier<JWKSet> published,
      List<Anchor> anchors) {}

  private AuditMonths(AuditMaintenance maintenance) {
    this.maintenance = maintenance;
  }

  static AuditMonths start(Vertx vertx, StintConfig.AuditConfig config, Needs needs, Clock clock) {
    AuditMaintenance maintenance =
        new AuditMaintenance(
            vertx,
            needs.pool(),
            config
                .retention()
                .map(
                    r ->
                        new AuditRetention(
                            new AuditRetention.Parts(
                                needs.owner(),
                                new AuditReader(needs.pool()),
                                needs.audit(),
                                needs.signer().get(),
                                needs.published(),
                                needs.anchors(),
                                config.sinks().stream().map(SinkConfig::name).toList()),
                            r,
                            clock)),
            clock);
    maintenance.start();
    return new AuditMonths(maintenance);
  }

  /** One round now (a test seam): months ahead, then retention when set. */
  Future<Optional<AuditRetention.Round>> round() {
    return maintenance.round();
  }

  @Override
  public void close() {
    maintenance.close();
  }
}
