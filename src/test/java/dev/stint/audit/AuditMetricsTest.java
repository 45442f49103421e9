package dev.stint.audit;

import static dev.stint.testing.AuditTables.await;
import static dev.stint.testing.AuditTables.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writer's meters count each event once, by outcome, and reach the Prometheus scrape. */
class AuditMetricsTest {
  private Vertx vertx;
  private Database db;
  private PrometheusMeterRegistry registry;

  @BeforeEach
  void setUp() {
    DatabaseUrl url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    db = Database.connect(vertx, url, 4);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private GroupCommitAuditLog log() {
    return new GroupCommitAuditLog(
        vertx,
        db.pool(),
        Clock.systemUTC(),
        new AuditConfig(Patience.AUDIT_COMMIT, 256),
        registry,
        AuditRedactor.withRandomKey());
  }

  @Test
  void everyCommittedEventIsOneCommittedWaitAndTheBatchesAddUpToThem() throws Exception {
    GroupCommitAuditLog log = log();
    List<Future<AuditRecord>> appends =
        IntStream.range(0, 200)
            .mapToObj(
                i -> log.append(AuditEvent.builder("credential.issued").target("t" + i).build()))
            .toList();
    await(Future.all(appends));

    assertThat(waits(registry, "committed").count()).isEqualTo(200);
    assertThat(waits(registry, "failed").count()).isZero();
    long batches = batches(registry, "committed").count();
    assertThat(batches).isBetween(1L, 200L);
    assertThat(registry.get("stint.audit.batch.events").summary().count()).isEqualTo(batches);
    assertThat(registry.get("stint.audit.batch.events").summary().totalAmount()).isEqualTo(200);
    assertThat(batches(registry, "failed").count()).isZero();
    assertThat(registry.get("stint.audit.queue").gauge().value()).isZero();
  }

  @Test
  void anEventRefusedBeforeAnyBatchIsAFailedWaitAndNoBatch() throws Exception {
    GroupCommitAuditLog log = log();
    await(log.close());
    failure(log.append(AuditEvent.builder("credential.issued").build()));

    assertThat(waits(registry, "failed").count()).isEqualTo(1);
    assertThat(waits(registry, "committed").count()).isZero();
    assertThat(batches(registry, "committed").count() + batches(registry, "failed").count())
        .isZero();
  }

  @Test
  void theScrapeHasHistogramBucketsForDashboardsToTakeQuantilesFrom() throws Exception {
    await(log().append(AuditEvent.builder("credential.issued").build()));

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("stint_audit_wait_seconds_bucket{outcome=\"committed\",le=")
        .contains("stint_audit_wait_seconds_count{outcome=\"committed\"} 1")
        .contains("stint_audit_batch_seconds_bucket{outcome=\"committed\",le=")
        .contains("stint_audit_batch_events_sum 1")
        .contains("stint_audit_queue_events 0");
  }

  static Timer waits(MeterRegistry registry, String outcome) {
    return registry.get("stint.audit.wait").tag("outcome", outcome).timer();
  }

  static Timer batches(MeterRegistry registry, String outcome) {
    return registry.get("stint.audit.batch").tag("outcome", outcome).timer();
  }
}
