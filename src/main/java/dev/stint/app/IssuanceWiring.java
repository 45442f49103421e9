package dev.stint.app;

import dev.stint.access.AccessUseCases;
import dev.stint.access.RequestListener;
import dev.stint.activity.ActivityIngest;
import dev.stint.activity.ActivityRounds;
import dev.stint.activity.GrantActivity;
import dev.stint.activity.PortalRoleFinder;
import dev.stint.activity.SharedCallSlots;
import dev.stint.assignment.AssignmentAlarm;
import dev.stint.assignment.AssignmentStates;
import dev.stint.assignment.Assignments;
import dev.stint.audit.AuditLog;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.issuance.CiRequests;
import dev.stint.issuance.ConsoleService;
import dev.stint.issuance.Issuance;
import dev.stint.issuance.LeaseIssuance;
import dev.stint.issuance.ReplayGuard;
import dev.stint.lease.Leases;
import dev.stint.ledger.Ledger;
import dev.stint.mint.Minters;
import dev.stint.mint.aws.AwsActivity;
import dev.stint.mint.aws.AwsClients;
import dev.stint.mint.aws.AwsConsole;
import dev.stint.mint.aws.AwsMinter;
import dev.stint.mint.aws.AwsRevocations;
import dev.stint.mint.aws.AwsSessionRevoker;
import dev.stint.mint.aws.AwsSettings;
import dev.stint.mint.aws.WebIdentityTokens;
import dev.stint.mint.azure.AzureActivity;
import dev.stint.mint.azure.AzureActivitySettings;
import dev.stint.mint.azure.AzureMinter;
import dev.stint.mint.azure.AzureSettings;
import dev.stint.mint.gcp.GcpConnections;
import dev.stint.mint.gcp.GcpMinter;
import dev.stint.mint.gcp.GcpSettings;
import dev.stint.outbox.Outbox;
import dev.stint.policy.PolicyInForce;
import dev.stint.revocation.DeletionDenies;
import dev.stint.revocation.LeaseRevocationListener;
import dev.stint.revocation.PortalSessions;
import dev.stint.revocation.Reporting;
import dev.stint.revocation.RevocationListener;
import dev.stint.signing.TokenSigner;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials and exchange use cases with their cloud minters. The GCP and Azure clients and
 * AWS IAM block, so they run on a bounded pool of their own, never on an event loop; its size
 * bounds concurrent calls. STS calls only start on a small pool of their own (see {@link
 * #AWS_START_THREADS}) and then wait for AWS on no thread.
 */
final class IssuanceWiring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IssuanceWiring.class);
  static final int CLOUD_THREADS = 64;

  /** Cloud calls that may wait for a thread; more are refused as upstream_unavailable. */
  static final int CLOUD_QUEUE = 64;

  /**
   * Threads that start STS calls: resolving stint's credentials (refreshed in the background, so
   * this blocks only on the very first call), marshalling and SigV4. That is CPU work, so one
   * thread per core, kept busy, beats the large cloud pool (measured side by side: see
   * docs/design.md, "Figures behind choices in the code").
   */
  static final int AWS_START_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

  /** A start never waits on AWS, only on CPU: a deep queue, refused beyond it all the same. */
  static final int AWS_START_QUEUE = 1024;

  static final Duration PRUNE_EVERY = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final ExecutorService cloudCalls;
  private final ExecutorService awsStarts;
  private final AwsClients aws;
  private AwsActivity awsActivity;
  private volatile Optional<IdentityCenterWiring> identityCenter = Optional.empty();
  private final SharedCallSlots callSlots;
  private Optional<AzureActivity> azureActivity = Optional.empty();
  private final GcpConnections gcpConnections;
  private final Issuance issuance;
  private final CiRequests ciRequests;
  private final LeaseIssuance leaseIssuance;
  private final ConsoleService console;
  private final Minters minters;
  private final long pruner;
  private final Timer revokeToDeny;
  private final Database database;
  private final AccessUseCases access;
  private final AuditLog audit;
  private final Clock clock;

  /** What issuance needs from the rest of the server. */
  record Needs(
      Database database,
      PolicyInForce policies,
      AccessWiring access,
      AuditLog audit,
      TokenSigner signer) {}

  IssuanceWiring(
      Vertx vertx, StintConfig config, Needs needs, MeterRegistry registry, Clock clock) {
    this.vertx = vertx;
    this.database = needs.database();
    this.access = needs.access().service();
    this.audit = needs.audit();
    this.clock = clock;
    // A bounded queue: when a cloud hangs and callers pile up beyond the threads and this
    // queue, the next call is refused at once (503 upstream_unavailable) rather than waiting
    // for a thread longer than the SDK's own call bound.
    this.cloudCalls = pool("stint-cloud-", CLOUD_THREADS, CLOUD_QUEUE);
    this.awsStarts = pool("stint-aws-", AWS_START_THREADS, AWS_START_QUEUE);
    // The default chain is lazy: without AWS credentials only assume_role profiles fail, at call
    // time, with a clear error; web_identity needs none.
    this.aws = AwsClients.withDefaultCredentials(vertx, aws(config.clouds()), CLOUD_THREADS);
    this.gcpConnections = GcpConnections.applicationDefault();
    ReplayGuard replays = new ReplayGuard(database.pool());
    this.callSlots = new SharedCallSlots(database.pool());
    publish(callSlots, registry);
    this.minters = minters(config, needs.signer());
    this.issuance =
        new Issuance(
            access.grants(),
            needs.policies(),
            minters,
            replays,
            new Issuance.Records(audit, new Ledger(database.pool()), clock),
            registry);
    this.ciRequests = new CiRequests(access.grants(), needs.policies(), clock);
    this.leaseIssuance =
        new LeaseIssuance(
            issuance,
            access.grants(),
            needs.policies(),
            needs.access().leases().mints(),
            new Issuance.Records(audit, new Ledger(database.pool()), clock));
    this.console =
        new ConsoleService(
            issuance,
            minters,
            needs.policies(),
            audit,
            config
                .clouds()
                .awsAccessPortal()
                .map(at -> new ConsoleService.Portal(access.grants(), at)));
    this.revokeToDeny =
        Timer.builder("stint_revocation_deny_seconds")
            .description("From a revoke's commit to its AWS deny in place (read back)")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.pruner =
        vertx.setPeriodic(
            PRUNE_EVERY.toMillis(),
            t ->
                replays
                    .prune(clock.instant())
                    .onFailure(e -> LOG.warn("pruning used CI tokens: {}", e.getMessage())));
  }

  /** CloudTrail lookups put off because every replica's turns reached too far ahead. */
  private static void publish(SharedCallSlots slots, MeterRegistry registry) {
    FunctionCounter.builder("stint_activity_lookups_put_off", slots, SharedCallSlots::putOff)
        .description("CloudTrail lookups put off because the turns shared by replicas were full")
        .register(registry);
  }

  /** A pool of daemon threads with a bounded queue: beyond it a call is refused at once. */
  private static ExecutorService pool(String name, int threads, int queue) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(
        threads,
        threads,
        0L,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queue),
        r -> {
          Thread t = new Thread(r, name + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** One minter per cloud, on the pools above; stint's issuer signs what clouds verify. */
  private Minters minters(StintConfig config, TokenSigner signer) {
    AwsMinter awsMinter = new AwsMinter(aws, webIdentity(signer), awsStarts, clock);
    GcpMinter gcpMinter =
        new GcpMinter(
            GcpSettings.of(config.clouds().gcpIamCredentials(), config.clouds().gcpSts()),
            gcpConnections,
            signer::sign,
            cloudCalls);
    AzureSettings azure = AzureSettings.of(config.clouds().azureAuthorityHost());
    AzureMinter azureMinter = new AzureMinter(azure, signer::sign, cloudCalls, clock);
    azureActivity =
        config
            .activity()
            .azure()
            .map(
                reader ->
                    new AzureActivity(
                        new AzureActivitySettings(
                            reader.tenantId(),
                            reader.clientId(),
                            reader.subscriptions(),
                            config.clouds().azureManagement()),
                        azure,
                        signer::sign,
                        clock));
    AwsConsole awsConsole = new AwsConsole(aws(config.clouds()), config.publicUrl(), clock);
    AwsSessionRevoker awsRevoker =
        new AwsSessionRevoker(
            vertx,
            new AwsRevocations(aws, cloudCalls, clock, config.clouds().awsRevocationPolicies()),
            clock);
    awsActivity =
        new AwsActivity(
            aws, config.activity().awsRegions(), config.clouds().awsCloudTrail(), callSlots);
    return new Minters(
        List.of(
            awsMinter.with(new AwsMinter.Sessions(awsConsole, awsRevoker, awsActivity)),
            gcpMinter,
            azureMinter.reading(azureActivity)));
  }

  /**
   * Activity per grant: the rounds that look up what each credential did, in the clouds that can
   * tell, started here; recorded in {@code audit} when a grant settles; each call found checked by
   * {@code watch}, as the ingest checks a pushed one.
   */
  ActivityRounds activity(
      StintConfig.ActivityConfig settings, GrantActivity view, ActivityIngest.Watch watch) {
    ActivityRounds rounds =
        new ActivityRounds(
            vertx,
            view,
            minters.activity(),
            new ActivityRounds.Settings(settings.lookupEvery(), settings.settle()),
            new ActivityRounds.Needs(access::grantEnd, audit, watch.roles(), watch.anomalies()),
            clock);
    rounds.start();
    return rounds;
  }

  /**
   * Revocations, delivered from the outbox, end what each revoked grant was issued, as the ledger
   * records it; {@code alarm} is raised when one cannot be written. (A person's revocations of
   * their own grants and leases are paced where the leases are made, {@code AccessWiring}.) The
   * sessions the clouds issued themselves ({@code portals}: Identity Center's access portal's) are
   * denied too.
   */
  void revokeOn(
      Outbox<RequestListener.Change> outbox, Reporting.Alarm alarm, PortalSessions portals) {
    RevocationListener listener =
        new RevocationListener(
            database.pool(RevocationListener.DEADLINE),
            minters,
            new Reporting(audit, revokeToDeny::record, alarm, access::sessionsCut),
            clock,
            portals);
    outbox.register(listener);
    outbox.register(listener.forEarlierRows());
    Pool revocations = database.pool(RevocationListener.DEADLINE);
    outbox.register(
        new LeaseRevocationListener(
            revocations,
            Leases.revokedLeases(revocations),
            minters,
            new Reporting(audit, revokeToDeny::record, alarm, access::sessionsCut),
            clock));
  }

  /**
   * IAM Identity Center grants ({@link IdentityCenterWiring}), delivered from the outbox; {@code
   * alarm}: what AWS keeps refusing. A deleted assignment's portal sessions are denied through the
   * revocations' revokers, on their pool, {@code revocationAlarm} raised as theirs. Returns where a
   * revoked grant's portal sessions are, for {@link #revokeOn}.
   */
  PortalSessions assignOn(
      Outbox<RequestListener.Change> outbox,
      PolicyInForce policies,
      StintConfig config,
      AssignmentAlarm alarm,
      Reporting.Alarm revocationAlarm) {
    Reporting reporting =
        new Reporting(audit, revokeToDeny::record, revocationAlarm, access::sessionsCut);
    DeletionDenies unassigned =
        new DeletionDenies(database.pool(RevocationListener.DEADLINE), minters, reporting, clock);
    IdentityCenterWiring wired =
        new IdentityCenterWiring(
            vertx,
            database.pool(),
            config,
            cloudCalls,
            aws,
            new IdentityCenterWiring.Needs(
                policies,
                new Assignments.Effects(audit, outbox, access::rebuild, alarm),
                unassigned),
            clock);
    outbox.register(wired.assignments().listener());
    identityCenter = Optional.of(wired);
    return wired.portalSessions();
  }

  /** Where an Identity Center grant's provisioned role is; none before {@link #assignOn}. */
  PortalRoleFinder portalRoles() {
    return identityCenter.map(IdentityCenterWiring::portalRoles).orElse(PortalRoleFinder.NONE);
  }

  /** Where each grant's account assignment stands; none before {@link #assignOn}. */
  AssignmentStates assignmentStates() {
    return identityCenter.map(IdentityCenterWiring::states).orElse(Assignments.NONE);
  }

  /**
   * The AWS endpoints the server configuration names, AWS's own where it names none, and its broker
   * role.
   */
  static AwsSettings aws(StintConfig.CloudEndpoints clouds) {
    return AwsSettings.of(clouds.awsRegion(), clouds.awsSts(), clouds.awsIam(), clouds.awsSignin())
        .withBrokerRole(clouds.awsBrokerRole());
  }

  /**
   * stint's own issuer signs the tokens clouds verify against our JWKS: AWS web identity, GCP
   * workload identity subject tokens and Azure client assertions.
   */
  static WebIdentityTokens webIdentity(TokenSigner signer) {
    return signer::sign;
  }

  Issuance issuance() {
    return issuance;
  }

  LeaseIssuance leaseIssuance() {
    return leaseIssuance;
  }

  CiRequests ciRequests() {
    return ciRequests;
  }

  ConsoleService console() {
    return console;
  }

  @Override
  public void close() throws InterruptedException {
    vertx.cancelTimer(pruner);
    cloudCalls.shutdown();
    awsStarts.shutdown();
    cloudCalls.awaitTermination(10, TimeUnit.SECONDS);
    awsStarts.awaitTermination(10, TimeUnit.SECONDS);
    if (awsActivity != null) {
      awsActivity.close();
    }
    azureActivity.ifPresent(AzureActivity::close);
    aws.close();
    identityCenter.ifPresent(IdentityCenterWiring::close);
    gcpConnections.close();
  }
}
