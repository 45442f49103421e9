package dev.stint.app;

import static dev.stint.app.BootSteps.await;
import static dev.stint.app.BootSteps.rootMessage;

import dev.stint.audit.AuditKeys;
import dev.stint.audit.AuditLog;
import dev.stint.audit.AuditReader;
import dev.stint.audit.AuditRedactor;
import dev.stint.audit.AuditViews;
import dev.stint.audit.ChainVerifier;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.audit.LiveAudit;
import dev.stint.checkpoint.CheckpointSigner;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.db.DatabaseTimeouts;
import dev.stint.db.EmbeddedDatabase;
import dev.stint.directory.DirectoryView;
import dev.stint.http.ConnectionGuard;
import dev.stint.http.CursorSeal;
import dev.stint.http.HttpVerticle;
import dev.stint.http.MetricsRoutes;
import dev.stint.http.ReadinessCheck;
import dev.stint.http.RouteModule;
import dev.stint.identity.JwksCache;
import dev.stint.log.Logs;
import dev.stint.notify.Alarms;
import dev.stint.policy.PolicyLoader;
import dev.stint.policy.PolicyReload;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.PolicyWatcher;
import dev.stint.retention.AuditMaintenance;
import dev.stint.revocation.Reporting;
import dev.stint.signing.CheckpointKeyring;
import dev.stint.signing.SigningKeys;
import dev.stint.signing.TokenSigner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running stint server: wires the parts by constructor, starts them in order and stops them in
 * reverse — HTTP first (in-flight requests finish), then the pool, then the embedded Postgres.
 */
public final class Server implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Server.class);

  /**
   * The statement deadline of the audit's readers (its pages, the chain's verification, the sinks):
   * the longest any of them waits for a page by itself (ChainVerifier), so that only a connection
   * that outlived its reader is dropped.
   */
  private static final Duration AUDIT_READS = Duration.ofSeconds(30);

  private final StintConfig config;
  private final Clock clock;
  private final Consumer<PolicyReload> onPolicyReload;

  /** Reloads seen before the audit log is up are only logged; afterwards they are audited. */
  private final AtomicReference<Consumer<PolicyReload>> policyReloads =
      new AtomicReference<>(reload -> {});

  private final List<AutoCloseable> resources = new ArrayList<>();
  private SlackWiring slack;
  private volatile AccessWiring access;
  private final AtomicBoolean closed = new AtomicBoolean();
  private Vertx vertx;
  private int port;
  private final List<String> httpDeployments = new ArrayList<>();
  private int metricsPort = -1;
  private GroupCommitAuditLog auditLog;
  private LiveAudit liveAudit;
  private MeterRegistry meters;
  private AuditCheckpoints checkpoints;
  private AuditMonths months;
  private AuditSinks sinks;
  private Alarms alarms;
  private DatabaseUrl ownerUrl; // the schema owner's: migrations, retention's detach and drop

  private Server(StintConfig config, Clock clock, Consumer<PolicyReload> onPolicyReload) {
    this.config = config;
    this.clock = clock;
    this.onPolicyReload = onPolicyReload;
  }

  /** Starts everything or, on any failure, stops what started and throws StartupException. */
  public static Server start(StintConfig config) {
    return start(config, Clock.systemUTC(), reload -> {});
  }

  /**
   * As {@link #start(StintConfig)}, with the clock every time-based decision uses and a hook told
   * of every policy reload attempt (after the watcher has logged it).
   */
  public static Server start(
      StintConfig config, Clock clock, Consumer<PolicyReload> onPolicyReload) {
    Server server = new Server(config, clock, onPolicyReload);
    try {
      server.boot();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /**
   * The boot, in stages that each provide what the next need: keys (a bad key file is a one-line
   * refusal before any database starts), the database, the policies, the platform (meters, Vert.x,
   * the pool), the audit log, the use cases, the audit's outside parts, then HTTP.
   */
  private void boot() {
    ServerRoutes.Keys keys = keys();
    DatabaseUrl url = database();
    PolicyStore policies = policies();
    ServerRoutes.Platform platform = platform(url);
    AuditLog audit = startAudit(url, platform.database(), meters);
    policyReloads.set(new PolicyReloadAudit(audit));
    ServerRoutes.Services services = services(platform, policies, audit, keys);
    ServerRoutes.AuditSide side = auditSide(platform, url, audit, keys, services);
    listen(new ServerRoutes(config, clock, policies, audit), keys, platform, services, side);
  }

  private ServerRoutes.Keys keys() {
    SigningKeys signing = BootSteps.signingKeys(config);
    CheckpointKeyring checkpoints = BootSteps.checkpointKeys(config, signing);
    TokenSigner signer = new TokenSigner(config.publicUrl(), signing, clock);
    LOG.info(
        "issuer {} signs with kid {}; {} key(s) published",
        signer.issuer(),
        signer.activeKid(),
        signing.all().size());
    return new ServerRoutes.Keys(signing, checkpoints, signer);
  }

  /** The database, migrated: the configured one, or the embedded one in {@code data_dir}. */
  private DatabaseUrl database() {
    if (config.database().url().isPresent()) {
      ownerUrl = config.database().url().get();
      BootSteps.migrate(ownerUrl);
      return ownerUrl;
    }
    // Migrations run as the schema's owner; requests are served as a role that cannot change
    // the schema or switch the audit triggers off.
    EmbeddedDatabase embedded = startEmbeddedDatabase();
    ownerUrl = embedded.ownerUrl();
    BootSteps.migrate(ownerUrl);
    return embedded.url();
  }

  /** The policies, loaded and watched: a broken edit is refused and the last good one stays. */
  private PolicyStore policies() {
    PolicyLoader loader = new PolicyLoader(config.access().reviewTimeout());
    PolicyStore policies = new PolicyStore(BootSteps.policies(config.policiesDir(), loader));
    PolicyWatcher watcher =
        new PolicyWatcher(
            config.policiesDir(),
            loader,
            policies,
            reload -> {
              onPolicyReload.accept(reload);
              policyReloads.get().accept(reload);
            });
    resources.add(watcher);
    watcher.start();
    return policies;
  }

  /** Meters, Vert.x, the pool and the outbound HTTP client every part shares. */
  private ServerRoutes.Platform platform(DatabaseUrl url) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters = registry;
    Logs.publish(registry);
    vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setMetricsOptions(
                        new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
    Database database =
        Database.connect(vertx, url, config.database().poolSize(), databaseTimeouts());
    // Issuers are fetched lazily: an unreachable IdP never blocks start-up or readiness.
    WebClient web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout(5_000)
                .setFollowRedirects(false)
                .setUserAgent("stint"));
    return new ServerRoutes.Platform(
        vertx, database, web, new JwksCache(web, clock), directory(url, database));
  }

  /** Every wait on the database: {@code database.statement_timeout} and the others. */
  private DatabaseTimeouts databaseTimeouts() {
    return new DatabaseTimeouts(
        config.database().statementTimeout(),
        config.database().connectTimeout(),
        config.database().tcpKeepalive());
  }

  /**
   * What the directory says of each person, read before any call is taken (a leaver must never be
   * admitted for want of a first read), then kept fresh by its announcements.
   */
  private DirectoryView directory(DatabaseUrl url, Database database) {
    DirectoryView view =
        new DirectoryView(
            vertx,
            database.pool(),
            database::subscriber,
            () -> config.directory().scimToken().isPresent(),
            clock);
    resources.add(() -> view.close());
    await(view.start(), "the directory (LISTEN stint_directory) could not be read");
    DirectoryWiring.publish(view, meters);
    return view;
  }

  /** The use cases: requests and the outbox, Slack, issuance and revocation. */
  private ServerRoutes.Services services(
      ServerRoutes.Platform platform,
      PolicyStore policies,
      AuditLog audit,
      ServerRoutes.Keys keys) {
    Database database = platform.database();
    access =
        new AccessWiring(vertx, config, database, policies, audit, platform.directory(), clock);
    resources.add(access);
    slack =
        new SlackWiring(
            vertx, config, new SlackWiring.Needs(database, policies, access, audit), clock);
    slack.publish(meters);
    resources.add(slack);
    alarms = new Alarms(vertx, access.notifier(), slack.alarmChannel(), clock);
    IssuanceWiring issuance =
        new IssuanceWiring(
            vertx,
            config,
            new IssuanceWiring.Needs(database, policies, access.service(), audit, keys.signer()),
            meters,
            clock);
    issuance.revokeOn(
        access.outbox(), revocationAlarm(alarms), config.access().ownRevocationsPerRole());
    access.publish(meters);
    resources.add(issuance);
    ActivityWiring activity =
        new ActivityWiring(
            database.pool(),
            config.activity(),
            new ActivityWiring.Needs(policies, audit, alarms),
            clock);
    activity.publish(meters);
    resources.add(issuance.activity(config.activity(), activity.view(), activity.roles()));
    DirectoryWiring directory =
        new DirectoryWiring(
            vertx,
            database.pool(),
            config,
            policies::current,
            audit,
            DirectoryWiring.deprovisioning(
                access.service().leavers(), access.extensions().leavers()),
            platform.directory(),
            access.people(),
            clock);
    directory.publish(meters);
    resources.add(directory);
    return new ServerRoutes.Services(access, slack, issuance, activity, directory);
  }

  /** What a revocation that cannot be written, or had to widen, tells operators. */
  private static Reporting.Alarm revocationAlarm(Alarms alarms) {
    return new Reporting.Alarm() {
      @Override
      public void revocationFailed(String grantId, String requestId, String why) {
        alarms.revocationFailed(grantId, requestId, why);
      }

      @Override
      public void revocationWidened(String grantId, String role, long others) {
        alarms.revocationWidened(grantId, role, others);
      }
    };
  }

  /** Checkpoints, retention and sinks; what the audit pages read; what readiness checks. */
  private ServerRoutes.AuditSide auditSide(
      ServerRoutes.Platform platform,
      DatabaseUrl url,
      AuditLog audit,
      ServerRoutes.Keys keys,
      ServerRoutes.Services services) {
    Pool pool = platform.database().pool(AUDIT_READS);
    checkpoints =
        new AuditCheckpoints(
            vertx,
            config.audit().checkpoints(),
            new AuditCheckpoints.Needs(
                pool, audit, keys.checkpoints(), keys.signer().issuer(), alarms),
            meters,
            clock);
    resources.add(checkpoints);
    await(checkpoints.start(), "audit checkpoints cannot start");
    months =
        AuditMonths.start(
            vertx,
            config.audit(),
            new AuditMonths.Needs(
                pool,
                ownerUrl,
                audit,
                () -> new CheckpointSigner(keys.signer().issuer(), keys.checkpoints().active()),
                keys.checkpoints()::published,
                checkpoints.anchors()),
            clock);
    resources.add(months);
    sinks =
        new AuditSinks(
            vertx, config.audit().sinks(), sinkPool(url, pool), config.publicUrl(), meters, clock);
    resources.add(sinks);
    await(sinks.start(), "audit sinks could not start");
    CursorSeal cursors =
        new CursorSeal(
            await(AuditKeys.cursors(pool), "the list cursors' key could not be read or stored"));
    return new ServerRoutes.AuditSide(
        new AuditViews(new AuditReader(pool), checkpoints.verification(), liveAudit),
        cursors,
        readiness(platform.database(), services.directory()));
  }

  /** Sinks read the audit on a small pool of their own, when there are any. */
  private Pool sinkPool(DatabaseUrl url, Pool shared) {
    return config.audit().sinks().isEmpty()
        ? shared
        : Database.pool(
            vertx, url, 2, "stint-sinks", databaseTimeouts().withStatement(AUDIT_READS));
  }

  private List<ReadinessCheck> readiness(Database database, DirectoryWiring directory) {
    return List.of(
        directory.readiness(),
        new ReadinessCheck(
            "database",
            () ->
                database
                    .ping()
                    .recover(
                        e ->
                            Future.failedFuture(
                                Database.READ_ONLY.equals(e.getMessage())
                                    ? Database.READ_ONLY
                                    : "unreachable"))),
        // The store always holds a validated policy; a refused reload keeps the last good one.
        new ReadinessCheck("policies", () -> Future.succeededFuture()),
        checkpoints.readiness());
  }

  /** The main listener, and /metrics on a listener of its own when configured. */
  private void listen(
      ServerRoutes routes,
      ServerRoutes.Keys keys,
      ServerRoutes.Platform platform,
      ServerRoutes.Services services,
      ServerRoutes.AuditSide side) {
    MetricsRoutes metrics =
        new MetricsRoutes((PrometheusMeterRegistry) meters, config.metrics().token());
    port =
        deployHttp(
            config.listen(),
            routes.mainListener(keys, platform, services, side, onMainListener(metrics)));
    LOG.info("stint listening on {}", baseUrl());
    if (config.metrics().listen().isPresent()) {
      metricsPort = deployHttp(config.metrics().listen().get(), List.of(metrics));
      LOG.info("metrics on {}", config.metrics().listen().get().host() + ":" + metricsPort);
    }
    if (config.metrics().token().isEmpty()) {
      LOG.info("/metrics answers callers on this host only; set metrics.token for others");
    }
  }

  /** /metrics is served on the main listener only when it has no listener of its own. */
  private RouteModule onMainListener(MetricsRoutes metrics) {
    return config.metrics().listen().isPresent() ? router -> {} : metrics;
  }

  /** The port /metrics listens on when {@code metrics.listen} gives it its own listener. */
  public Optional<Integer> metricsPort() {
    return metricsPort < 0 ? Optional.empty() : Optional.of(metricsPort);
  }

  /**
   * The audit writer and the live stream start before HTTP and stop after it. The writer gets a
   * small pool of its own, on its own event loop: request transactions hold their connection while
   * they wait for their audit event, so sharing one pool could starve the writer.
   */
  private AuditLog startAudit(DatabaseUrl url, Database database, MeterRegistry registry) {
    AuditLoop loop = new AuditLoop(registry);
    resources.add(loop);
    Pool auditPool = Database.pool(loop.vertx(), url, 2, "stint-audit", databaseTimeouts());
    AuditRedactor redactor =
        await(
            AuditKeys.redactor(auditPool), "the audit's redaction key could not be read or stored");
    auditLog =
        new GroupCommitAuditLog(loop.vertx(), auditPool, clock, config.audit(), registry, redactor);
    // Before any append: a server down over a month's end makes the new month first.
    await(AuditMaintenance.ensure(auditPool, clock), "audit months could not be made ahead");
    liveAudit =
        new LiveAudit(vertx, database::subscriber, new AuditReader(database.pool(AUDIT_READS)));
    await(liveAudit.start(), "audit stream (LISTEN stint_audit) could not start");
    return auditLog;
  }

  /** One sweeper round now, on the server's clock: tests move the clock instead of waiting. */
  public Future<Integer> sweepNow() {
    return access.sweep();
  }

  /** One checkpoint round now (signs when due, delivers what anchors lack); a test seam. */
  public Future<?> checkpointNow() {
    return checkpoints
        .checkpointer()
        .map(c -> (Future<?>) c.round())
        .orElse(Future.succeededFuture());
  }

  /** One round of the audit's months now: those ahead made, retention run when set. A test seam. */
  public Future<?> auditMonthsNow() {
    return months.round();
  }

  /** Every audit sink delivers what it can now. A test seam. */
  public Future<Void> sinkNow() {
    return sinks.pumpNow();
  }

  /** One tamper check now; answers the break found, if any. A test seam. */
  public Future<Optional<ChainVerifier.Result>> tamperCheckNow() {
    return checkpoints.watch().map(w -> w.check()).orElse(Future.succeededFuture(Optional.empty()));
  }

  /** Where use cases append audit events (fail closed: see {@link AuditLog}). */
  public AuditLog auditLog() {
    return auditLog;
  }

  public LiveAudit liveAudit() {
    return liveAudit;
  }

  /** The meters {@code /metrics} publishes. */
  public MeterRegistry meters() {
    return meters;
  }

  private EmbeddedDatabase startEmbeddedDatabase() {
    try {
      EmbeddedDatabase embedded = EmbeddedDatabase.start(config.dataDir(), true);
      resources.add(embedded);
      return embedded;
    } catch (IOException | RuntimeException e) {
      throw new StartupException(
          "embedded postgres under " + config.dataDir() + " could not start: " + rootMessage(e), e);
    }
  }

  private int deployHttp(StintConfig.HostPort where, List<RouteModule> modules) {
    String host = where.host();
    // Port 0 becomes negative: Vert.x then binds one random port and shares it between all
    // the instances (with 0 each instance would get a port of its own). Servers with the same
    // negative number share one port, so each listener gets a number of its own.
    int listenPort = where.port() == 0 ? -(httpDeployments.size() + 1) : where.port();
    List<HttpVerticle> instances = new CopyOnWriteArrayList<>();
    int count = Runtime.getRuntime().availableProcessors();
    HttpVerticle.Settings settings =
        new HttpVerticle.Settings(
            config.shutdownTimeout(),
            ConnectionGuard.of(config.http())
                .publish(meters, where == config.listen() ? "api" : "metrics"));
    String deployment =
        await(
            vertx.deployVerticle(
                () -> {
                  HttpVerticle v = new HttpVerticle(host, listenPort, modules, settings);
                  instances.add(v);
                  return v;
                },
                new DeploymentOptions().setInstances(count)),
            "cannot listen on " + where);
    httpDeployments.add(deployment);
    return instances.get(0).actualPort();
  }

  public int port() {
    return port;
  }

  /** The URL this server answers on (from the bound address, not public_url). */
  public URI baseUrl() {
    String host = config.listen().host();
    String shown = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
    return URI.create("http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port);
  }

  /** Graceful stop; safe to call more than once and from a shutdown hook. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (vertx != null) {
      LOG.info("stopping: finishing in-flight requests");
      stopHttpThenAudit();
      // Closing Vert.x undeploys the HTTP verticles (each drains its requests) and the pool.
      long waitMs = config.shutdownTimeout().toMillis() + 5_000;
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(waitMs, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("vert.x did not stop cleanly: {}", rootMessage(e));
      }
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn(
            "could not stop {}: {}", resources.get(i).getClass().getSimpleName(), rootMessage(e));
      }
    }
    LOG.info("stopped");
  }

  /**
   * In-flight requests finish, then the outbox deliveries under way (both append audit events),
   * before the writer drains.
   */
  private void stopHttpThenAudit() {
    long waitMs = config.shutdownTimeout().toMillis() + 5_000;
    if (slack != null) {
      // Clicks over Socket Mode stop with the HTTP ones; the envelopes Slack then sends go to the
      // other replicas' connections.
      slack.stopSocket();
    }
    try {
      for (String deployment : httpDeployments) {
        vertx
            .undeploy(deployment)
            .toCompletionStage()
            .toCompletableFuture()
            .get(waitMs, TimeUnit.MILLISECONDS);
      }
      if (access != null) {
        access
            .stopDeliveries()
            .toCompletionStage()
            .toCompletableFuture()
            .get(waitMs, TimeUnit.MILLISECONDS);
      }
      if (auditLog != null) {
        auditLog
            .close()
            .toCompletionStage()
            .toCompletableFuture()
            .get(waitMs, TimeUnit.MILLISECONDS);
      }
      if (liveAudit != null) {
        liveAudit.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("http or audit did not stop cleanly: {}", rootMessage(e));
    }
  }
}
