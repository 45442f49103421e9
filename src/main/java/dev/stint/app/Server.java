package dev.stint.app;

import static dev.stint.app.BootSteps.await;
import static dev.stint.app.BootSteps.rootMessage;

import dev.stint.assignment.AssignmentAlarm;
import dev.stint.audit.AuditLog;
import dev.stint.audit.LiveAudit;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.db.DatabaseTimeouts;
import dev.stint.db.EmbeddedDatabase;
import dev.stint.directory.DirectoryView;
import dev.stint.identity.JwksCache;
import dev.stint.log.Logs;
import dev.stint.notify.Alarms;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.PolicyLoader;
import dev.stint.policy.PolicyReload;
import dev.stint.policy.PolicyWatcher;
import dev.stint.revocation.PortalSessions;
import dev.stint.revocation.Reporting;
import dev.stint.signing.CheckpointKeyring;
import dev.stint.signing.SigningKeys;
import dev.stint.signing.TokenSigner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running stint server: wires the parts by constructor, starts them in order and stops them in
 * reverse ({@link StopOrder}) — HTTP first (in-flight requests finish), then the pool, then the
 * embedded Postgres.
 */
public final class Server implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Server.class);

  private final StintConfig config;
  private final Clock clock;
  private final Consumer<PolicyReload> onPolicyReload;

  /** The watcher starts once the audit log is up, so that every reload attempt is audited. */
  private final AtomicReference<Consumer<PolicyReload>> policyReloads =
      new AtomicReference<>(reload -> {});

  private PolicyWatcher policyWatcher;
  private final PolicyReadiness policyReadiness;

  private final List<AutoCloseable> resources = new ArrayList<>();
  private SlackWiring slack;
  private volatile AccessWiring access;
  private volatile ReviewWiring reviews;
  private final AtomicBoolean closed = new AtomicBoolean();
  private Vertx vertx;
  private HttpListeners http;
  private AuditWiring audit;
  private MeterRegistry meters;
  private Alarms alarms;
  private DatabaseUrl ownerUrl; // the schema owner's: migrations, retention's detach and drop

  private Server(StintConfig config, Clock clock, Consumer<PolicyReload> onPolicyReload) {
    this.config = config;
    this.clock = clock;
    this.onPolicyReload = onPolicyReload;
    this.policyReadiness = new PolicyReadiness(clock);
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
   * the pool), the issuers' keys asked for, the audit log, the use cases, the audit's outside
   * parts, then HTTP, once the issuers have answered or {@link IssuerWatch#BOOT_WAIT} has passed.
   */
  private void boot() {
    ServerRoutes.Keys keys = keys();
    DatabaseUrl url = database();
    PolicyInForce policies = policies();
    ServerRoutes.Platform platform = platform(url);
    IssuerWatch issuers =
        new IssuerWatch(
            vertx,
            platform.jwks(),
            () -> policies.current().issuers().values(),
            config.policiesDir());
    resources.add(issuers);
    Future<Void> issuersAnswered = issuers.start();
    audit = new AuditWiring(vertx, config, meters, databaseTimeouts(), resources, clock);
    AuditLog log = audit.start(url, platform.database());
    policyReloads.set(new PolicyReloadAudit(log));
    policyWatcher.start();
    ServerRoutes.Services services = services(platform, policies, log, keys);
    ServerRoutes.AuditSide side =
        audit.outsideParts(
            platform.database(),
            url,
            ownerUrl,
            keys,
            alarms,
            ReadinessChecks.of(platform.database(), services, policyReadiness, issuers));
    ServerRoutes routes = new ServerRoutes(config, clock, policies, log);
    issuers.awaitBoot(issuersAnswered);
    http = new HttpListeners(vertx, config, meters);
    http.listen(metrics -> routes.mainListener(keys, platform, services, side, metrics));
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

  /**
   * The policies, loaded, with their watcher (started once the audit log is up): a broken edit is
   * refused and the last good one stays.
   */
  private PolicyInForce policies() {
    PolicyLoader loader = new PolicyLoader(config.access().reviewTimeout());
    PolicyInForce policies = new PolicyInForce(BootSteps.policies(config.policiesDir(), loader));
    policyWatcher =
        new PolicyWatcher(
            config.policiesDir(),
            loader,
            policies,
            reload -> {
              onPolicyReload.accept(reload);
              policyReadiness.accept(reload);
              policyReloads.get().accept(reload);
            });
    resources.add(policyWatcher);
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
    // Issuers' keys are asked for by IssuerWatch and token verification; neither blocks on an IdP.
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
      PolicyInForce policies,
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
            new IssuanceWiring.Needs(database, policies, access, audit, keys.signer()),
            meters,
            clock);
    Reporting.Alarm revocationAlarm = revocationAlarm(alarms);
    PortalSessions portals =
        issuance.assignOn(
            access.outbox(), policies, config, assignmentAlarm(alarms), revocationAlarm);
    issuance.revokeOn(access.outbox(), revocationAlarm, portals);
    access.publish(meters);
    resources.add(issuance);
    ActivityWiring activity =
        new ActivityWiring(
            vertx,
            database.pool(),
            config,
            new ActivityWiring.Needs(
                policies, audit, alarms, access, slack.findingNews(), issuance.portalRoles()),
            clock);
    activity.publish(meters);
    resources.add(activity);
    resources.add(issuance.activity(config.activity(), activity.view(), activity.watch()));
    DirectoryWiring directory =
        new DirectoryWiring(
            vertx,
            database.pool(),
            config,
            new DirectoryWiring.Needs(
                policies::current,
                audit,
                DirectoryWiring.deprovisioning(
                    access.service().leavers(), access.extensions().leavers()),
                platform.directory(),
                access.people()),
            clock);
    directory.publish(meters);
    resources.add(directory);
    ReviewWiring.Needs needs =
        new ReviewWiring.Needs(database.pool(), policies, audit, access, slack.reviewNews());
    reviews = new ReviewWiring(vertx, config, needs, clock);
    resources.add(reviews);
    return new ServerRoutes.Services(access, slack, issuance, activity, directory, reviews);
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

  /** What an assignment AWS keeps refusing, or an end found with no deletion queued, tells. */
  private static AssignmentAlarm assignmentAlarm(Alarms alarms) {
    return new AssignmentAlarm() {
      @Override
      public void assignmentRefused(String grantId, String requestId, String stage, String why) {
        alarms.assignmentRefused(grantId, requestId, stage, why);
      }

      @Override
      public void assignmentEndRestored(String grantId, String requestId) {
        alarms.assignmentEndRestored(grantId, requestId);
      }
    };
  }

  /** The port /metrics listens on when {@code metrics.listen} gives it its own listener. */
  public Optional<Integer> metricsPort() {
    return http.metricsPort();
  }

  /**
   * Each timed job's round, run now on the server's clock: tests move the clock and run a round
   * instead of waiting for its timer.
   */
  public Rounds rounds() {
    return new Rounds(access, reviews, audit);
  }

  /** Where use cases append audit events (fail closed: see {@link AuditLog}). */
  public AuditLog auditLog() {
    return audit.log();
  }

  public LiveAudit liveAudit() {
    return audit.live();
  }

  /** The meters {@code /metrics} publishes. */
  public MeterRegistry meters() {
    return meters;
  }

  private EmbeddedDatabase startEmbeddedDatabase() {
    try {
      EmbeddedDatabase embedded =
          EmbeddedDatabase.start(config.dataDir(), EmbeddedDatabase.Use.DURABLE);
      resources.add(embedded);
      return embedded;
    } catch (IOException | RuntimeException e) {
      throw new StartupException(
          "embedded postgres under " + config.dataDir() + " could not start: " + rootMessage(e), e);
    }
  }

  public int port() {
    return http.port();
  }

  /** The URL this server answers on (from the bound address, not public_url). */
  public URI baseUrl() {
    return http.baseUrl();
  }

  /** Graceful stop; safe to call more than once and from a shutdown hook. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    new StopOrder(config.shutdownTimeout())
        .stop(vertx, new StopOrder.Draining(slack, http, access, audit), resources);
  }
}
