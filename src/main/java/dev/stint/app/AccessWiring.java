package dev.stint.app;

import dev.stint.access.AccessAudit;
import dev.stint.access.AccessService;
import dev.stint.access.AccessSettings;
import dev.stint.access.AccessStore;
import dev.stint.access.ExtensionService;
import dev.stint.access.ExtensionStore;
import dev.stint.audit.AuditLog;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.notify.RequestNotifier;
import dev.stint.notify.WebhookNotifier;
import dev.stint.policy.PolicyStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests and extensions use cases, their notifier and the sweeper that expires grants,
 * times out stale requests, reminds holders before a grant ends and expires extensions of ended
 * grants. Every replica runs the sweeper; row locks with SKIP LOCKED split the work.
 */
final class AccessWiring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AccessWiring.class);
  static final Duration SWEEP_EVERY = Duration.ofSeconds(15);

  private final Vertx vertx;
  private final AccessService service;
  private final ExtensionService extensions;
  private final WebhookNotifier notifier;
  private final long sweeper;

  AccessWiring(Vertx vertx, StintConfig config, Database database, PolicyStore policies,
      AuditLog audit, Clock clock) {
    this.vertx = vertx;
    AccessSettings settings = new AccessSettings(config.access().reviewTimeout(),
        AccessSettings.DEFAULT_MAX_SCHEDULE_AHEAD, config.publicUrl(),
        config.access().expiryReminder());
    this.service = new AccessService(new AccessStore(database.pool(), database.pipelined()),
        policies, new AccessAudit(audit), settings, clock);
    this.notifier = new WebhookNotifier(vertx, WebhookNotifier.targets(config.notifications()),
        WebhookNotifier.Retry.DEFAULT, clock);
    this.extensions = new ExtensionService(new ExtensionStore(database.pool()), policies, audit,
        clock);
    RequestNotifier notify = new RequestNotifier(notifier, settings::link);
    service.listen(notify);
    extensions.listen(notify);
    this.sweeper = vertx.setPeriodic(SWEEP_EVERY.toMillis(), t -> sweep());
  }

  AccessService service() {
    return service;
  }

  ExtensionService extensions() {
    return extensions;
  }

  private void sweep() {
    // Requests first (an ended grant is expired), then the extensions that can no longer apply.
    service.sweep().compose(n -> extensions.sweep().map(m -> n + m)).onComplete(done -> {
      if (done.failed()) {
        // Next round retries; the database or audit being down shows in readiness already.
        LOG.warn("sweeper: {}", done.cause().getMessage());
      } else if (done.result() > 0) {
        LOG.info("sweeper: {} requests timed out, expired or reminded", done.result());
      }
    });
  }

  @Override
  public void close() {
    vertx.cancelTimer(sweeper);
    notifier.close();
  }
}
