package dev.stint.testing;

import dev.stint.audit.AuditReader;
import dev.stint.audit.AuditViews;
import dev.stint.audit.ChainVerifier;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.audit.LiveAudit;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.db.DatabaseConnections;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.http.Api;
import dev.stint.http.AuditRoutes;
import dev.stint.http.AuditorGate;
import dev.stint.http.EventStreams;
import dev.stint.http.HttpVerticle;
import dev.stint.http.StreamReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * stint's real HTTP stack serving only the audit routes, on 127.0.0.1 port 0, with its own audit
 * writer — one "replica". The gate is the test's: {@link #BEARER_GATE} lets {@code Bearer auditor}
 * in, refuses other tokens (403) and missing ones (401).
 */
public final class AuditServer implements AutoCloseable {
  public static final AuditorGate BEARER_GATE =
      new AuditorGate() {
        @Override
        public Future<Void> requireAuditor(RoutingContext ctx) {
          String auth = ctx.request().getHeader("Authorization");
          if (auth == null) {
            return Future.failedFuture(
                new StintException(ErrorCode.UNAUTHENTICATED, "a valid bearer token is required"));
          }
          return "Bearer auditor".equals(auth)
              ? Future.succeededFuture()
              : Future.failedFuture(
                  StintException.forbidden("only auditors may read the audit log"));
        }

        /** The fixed token never expires; the real gate's re-checks are tested end to end. */
        @Override
        public StreamReader streamReader(RoutingContext ctx) {
          return new StreamReader() {
            @Override
            public String person() {
              return "test auditor";
            }

            @Override
            public Future<Optional<String>> endReason(Instant now) {
              return Future.succeededFuture(Optional.empty());
            }
          };
        }
      };

  private final Vertx vertx;
  private final GroupCommitAuditLog log;
  private final LiveAudit live;
  private final int port;

  private AuditServer(Vertx vertx, GroupCommitAuditLog log, LiveAudit live, int port) {
    this.vertx = vertx;
    this.log = log;
    this.live = live;
    this.port = port;
  }

  public static AuditServer start(DatabaseUrl url, AuditorGate gate, Duration heartbeat)
      throws Exception {
    return start(url, gate, heartbeat, Duration.ofSeconds(2));
  }

  /**
   * As above, with the HTTP server's shutdown timeout: how long closing it waits for connections
   * still open before it cuts them.
   */
  public static AuditServer start(
      DatabaseUrl url, AuditorGate gate, Duration heartbeat, Duration shutdownTimeout)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    Database db = Database.connect(vertx, url, 4);
    GroupCommitAuditLog log =
        new GroupCommitAuditLog(
            vertx, db.pool(), Clock.systemUTC(), new AuditConfig(Patience.AUDIT_COMMIT, 64));
    AuditReader reader = new AuditReader(db.pool());
    LiveAudit live = new LiveAudit(vertx, DatabaseConnections.options(url), reader);
    AuditTables.await(live.start());
    AuditViews views = new AuditViews(reader, new ChainVerifier(db.pool()), live);
    HttpVerticle http =
        new HttpVerticle(
            "127.0.0.1",
            0,
            List.of(
                new Api(
                    vertx,
                    RoutingContext::next,
                    List.of(new AuditRoutes(views, gate, Clock.systemUTC(), streams(heartbeat))))),
            new HttpVerticle.Settings(shutdownTimeout, TestLimits.guard()));
    AuditTables.await(vertx.deployVerticle(http));
    return new AuditServer(vertx, log, live, http.actualPort());
  }

  /** Streams that beat every {@code heartbeat} (a third of the idle timeout they must beat). */
  private static EventStreams streams(Duration heartbeat) {
    return new EventStreams(
        new EventStreams.Limits(100, 100, Duration.ofMinutes(1), heartbeat.multipliedBy(3)),
        Clock.systemUTC());
  }

  public GroupCommitAuditLog log() {
    return log;
  }

  public LiveAudit live() {
    return live;
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  @Override
  public void close() throws Exception {
    AuditTables.await(log.close());
    AuditTables.await(live.close());
    AuditTables.await(vertx.close());
  }
}
