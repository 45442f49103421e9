package dev.stint.app;

import dev.stint.activity.GrantActivity;
import dev.stint.audit.AuditLog;
import dev.stint.config.StintConfig;
import dev.stint.finding.FindingNews;
import dev.stint.finding.FindingService;
import dev.stint.http.ApiModule;
import dev.stint.http.FindingRoutes;
import dev.stint.http.ReadinessCheck;
import dev.stint.outbox.OutboxWorker;
import dev.stint.policy.PolicyInForce;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;

/**
 * Findings: judged on every call activity keeps, poked after each keep commits; what follows a
 * finding on an outbox of its own, delivered as the requests' outbox is; a lease or grant ended
 * through their normal revocations ({@link FindingEndings}); the API's reads.
 */
final class FindingWiring implements AutoCloseable {
  private final FindingService service;
  private final Clock clock;

  /**
   * The policy in force, the audit, the requests and leases the findings read and end, and where
   * live findings are told.
   */
  record Needs(
      PolicyInForce policies, AuditLog audit, AccessWiring access, List<FindingNews> news) {}

  FindingWiring(Vertx vertx, Pool pool, StintConfig.AccessConfig config, Needs needs, Clock clock) {
    this.clock = clock;
    AccessWiring access = needs.access();
    this.service =
        new FindingService(
            vertx,
            pool,
            new FindingService.Needs(
                access.service().requests(),
                access.leases().views(),
                needs.policies(),
                needs.audit(),
                new FindingEndings(pool, access.service().leavers(), access.leases().asStint()),
                OutboxWorker.Settings.of(config.outboxGiveUpAfter(), config.outboxLease())),
            clock);
    // Before judging starts: a finding raised before its receiver registered would tell nobody.
    needs.news().forEach(service::tell);
  }

  /** Starts judging {@code activity}'s calls as they are kept. */
  void judge(GrantActivity activity) {
    activity.afterKeep(service.worker()::poke);
    service.start();
  }

  FindingService service() {
    return service;
  }

  ApiModule routes() {
    return new FindingRoutes(service.reading(), clock);
  }

  /** Calls judged and findings raised on this replica. */
  void publish(MeterRegistry registry) {
    FunctionCounter.builder("stint_findings_calls_judged", service.worker(), w -> w.judged())
        .description("Kept calls the finding rules judged on this replica")
        .register(registry);
    FunctionCounter.builder("stint_findings_raised", service.worker(), w -> w.raised())
        .description("Findings raised on this replica, dry runs included")
        .register(registry);
    FunctionCounter.builder("stint_findings_calls_set_aside", service.worker(), w -> w.setAside())
        .description("Kept calls this replica could not judge and set aside")
        .register(registry);
  }

  /** Ready whatever the findings do; warns of calls set aside, which no rule judged. */
  ReadinessCheck readiness() {
    return new ReadinessCheck("findings", Future::succeededFuture, service.worker()::warning);
  }

  @Override
  public void close() {
    service.close();
  }
}
