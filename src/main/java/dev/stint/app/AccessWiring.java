package dev.stint.app;

import dev.stint.access.AccessUseCases;
import dev.stint.access.Approvers;
import dev.stint.access.Bundles;
import dev.stint.access.RequestListener;
import dev.stint.audit.AuditLog;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.extension.ExtensionService;
import dev.stint.finding.FindingNews;
import dev.stint.identity.Directory;
import dev.stint.identity.MatchClaim;
import dev.stint.lease.Leases;
import dev.stint.notify.PageLinks;
import dev.stint.notify.TeamsFindingNews;
import dev.stint.notify.TeamsListener;
import dev.stint.notify.WebhookFindingNews;
import dev.stint.notify.WebhookListener;
import dev.stint.notify.WebhookNotifier;
import dev.stint.outbox.Outbox;
import dev.stint.outbox.OutboxWorker;
import dev.stint.people.PeopleSeen;
import dev.stint.policy.PolicyInForce;
import dev.stint.review.Reviews;
import dev.stint.revocation.OwnRevocations;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests and extensions use cases, their notifier and the sweeper that expires grants, times
 * out stale requests, reminds holders before a grant ends and expires extensions of ended grants.
 * Every replica runs the sweeper; row locks with SKIP LOCKED split the work.
 */
final class AccessWiring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AccessWiring.class);
  static final Duration SWEEP_EVERY = Duration.ofSeconds(15);
  static final Duration BACKLOG_EVERY = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final AccessUseCases service;
  private final ExtensionService extensions;
  private final WebhookNotifier notifier;
  private final Optional<TeamsListener> teams;
  private final Outbox<RequestListener.Change> outbox;
  private final OutboxWorker<RequestListener.Change> worker;
  private final PeopleSeen people;
  private final Approvers approvers;
  private final Bundles bundles;
  private final long sweeper;
  private final long endChecks;
  private final FactsWiring facts;
  private final Duration recheck;
  private boolean checkingEnds;
  private final Clock clock;
  private final Directory directory;
  private final Leases leases;
  private final PageLinks pages;
  private long backlogTimer = -1;

  AccessWiring(
      Vertx vertx,
      StintConfig config,
      Database database,
      PolicyInForce policies,
      AuditLog audit,
      Directory directory,
      Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.directory = directory;
    this.pages = new PageLinks(config.publicUrl());
    this.outbox = new Outbox<>(database.pool());
    this.facts = new FactsWiring(vertx, config.facts(), clock);
    this.service =
        new AccessUseCases(
            new AccessUseCases.Footing(
                database.pool(), database.pipelined(), outbox, Reviews.holds()),
            policies,
            audit,
            new AccessUseCases.Settings(
                config.access().reviewTimeout(), config.access().expiryReminder()),
            clock,
            facts.source());
    this.people = people(database, new MatchClaim(config.directory().matchClaim()), clock);
    this.approvers = new Approvers(vertx, people, policies, directory, clock);
    this.bundles = service.bundles(approvers);
    this.notifier =
        new WebhookNotifier(
            vertx,
            WebhookNotifier.targets(config.notifications()),
            WebhookNotifier.DEFAULT_TIMEOUT,
            clock);
    this.extensions =
        new ExtensionService(database.pool(), outbox, policies, audit, clock, service.voterFacts());
    notifier
        .targets()
        .forEach(target -> outbox.register(new WebhookListener(notifier, target, pages::link)));
    this.teams =
        config
            .notifications()
            .teams()
            .map(
                t ->
                    new TeamsListener(vertx, t, pages::link, WebhookNotifier.DEFAULT_TIMEOUT)
                        .bundledBy(bundles::of));
    teams.ifPresent(outbox::register);
    this.worker =
        new OutboxWorker<>(
            vertx,
            database.pool(),
            outbox,
            service::rebuild,
            OutboxWorker.Settings.of(
                config.access().outboxGiveUpAfter(), config.access().outboxLease()),
            audit,
            clock);
    service.afterCommit(worker::poke);
    extensions.afterCommit(worker::poke);
    this.leases = leases(database, policies, audit, config.access().ownRevocationsPerRole());
    worker.start();
    this.sweeper = vertx.setPeriodic(SWEEP_EVERY.toMillis(), t -> sweep());
    this.recheck = config.facts().recheck();
    this.endChecks = vertx.setPeriodic(SWEEP_EVERY.toMillis(), t -> checkEnds());
  }

  /**
   * One round of {@code end_when}, as its timer runs it; a round still looking facts up when the
   * next is due is left to finish (a slow provider does not pile rounds up).
   */
  Future<Integer> checkEnds() {
    if (checkingEnds) {
      return Future.succeededFuture(0);
    }
    checkingEnds = true;
    return service
        .sweeps()
        .recheckEnds(recheck)
        .onComplete(
            done -> {
              checkingEnds = false;
              if (done.failed()) {
                LOG.warn("end_when: {}", done.cause().getMessage());
              } else if (done.result() > 0) {
                LOG.info("end_when: {} grants ended", done.result());
              }
            });
  }

  AccessUseCases service() {
    return service;
  }

  /** The people stint has seen, recorded from sign-ins and API calls. */
  /** What the directory says of each person, for every part that admits a stored person. */
  /**
   * Task leases on the requests' outbox: a lease's revoke is delivered as soon as it commits, and a
   * revoked grant's leases end with it. A person's revokes of their own grants and of leases of
   * them are paced alike, from the ledger ({@link OwnRevocations}: {@code perRole} of theirs may
   * take room on one role at once).
   */
  private Leases leases(Database database, PolicyInForce policies, AuditLog audit, int perRole) {
    Leases made =
        new Leases(
            new Leases.Needs(service.requests(), service.grants(), policies),
            database.pool(),
            outbox,
            audit,
            clock);
    made.afterCommit(worker::poke);
    outbox.register(made.endWithGrants());
    OwnRevocations pace = new OwnRevocations(database.pool(), perRole);
    service.pace(pace);
    made.pace(pace);
    return made;
  }

  /** Task leases: made, read and ended for the API and the pages. */
  Leases leases() {
    return leases;
  }

  Directory directory() {
    return directory;
  }

  PeopleSeen people() {
    return people;
  }

  /** Requests for several profiles at once. */
  Bundles bundles() {
    return bundles;
  }

  /** Who could approve a request, among the people seen. */
  Approvers approvers() {
    return approvers;
  }

  ExtensionService extensions() {
    return extensions;
  }

  /**
   * The outbox's backlog as metrics: rows waiting, the oldest one's age, and dead ones. Counted by
   * a query every few seconds, not on each scrape.
   */
  void publish(MeterRegistry registry) {
    AtomicReference<Outbox.Backlog> last =
        new AtomicReference<>(new Outbox.Backlog(0, Duration.ZERO, 0));
    backlogTimer =
        vertx.setPeriodic(
            BACKLOG_EVERY.toMillis(),
            t ->
                outbox
                    .backlog(clock.instant())
                    .onSuccess(last::set)
                    .onFailure(e -> LOG.warn("outbox backlog: {}", e.getMessage())));
    Gauge.builder("stint_outbox_pending", () -> last.get().pending())
        .description("Side effects committed but not yet delivered")
        .register(registry);
    Gauge.builder("stint_outbox_oldest_seconds", () -> last.get().oldest().toSeconds())
        .description("Age of the oldest undelivered side effect")
        .register(registry);
    Gauge.builder("stint_outbox_dead", () -> last.get().dead())
        .description("Side effects the outbox gave up on (GET /v1/admin/outbox)")
        .register(registry);
  }

  /**
   * Live findings told as requests are, to each webhook and the Teams channel: each names the
   * holder and reason from the request, read without a caller ({@code Grants.requestOfLease}, a
   * read afresh whoever asks), and links to the lease's or request's page.
   */
  List<FindingNews> findingNews() {
    List<FindingNews> out = new ArrayList<>();
    notifier
        .targets()
        .forEach(
            t ->
                out.add(
                    new WebhookFindingNews(notifier, t, service.grants()::requestOfLease, pages)));
    teams.ifPresent(t -> out.add(new TeamsFindingNews(t, service.grants()::requestOfLease, pages)));
    return out;
  }

  /** Where notices link: the server's public URL. */
  PageLinks pages() {
    return pages;
  }

  /** The webhook and Slack webhook receivers, for alarms that concern no request. */
  WebhookNotifier notifier() {
    return notifier;
  }

  /** Where listeners whose work must survive restarts register (AWS revocation). */
  Outbox<RequestListener.Change> outbox() {
    return outbox;
  }

  /**
   * The people seen, each kept with the value of {@code claim}; those recorded before {@code
   * directory.match_claim} named it are re-read by it now, in the background.
   */
  private static PeopleSeen people(Database database, MatchClaim claim, Clock clock) {
    PeopleSeen people = new PeopleSeen(database.pool(), clock, claim);
    people
        .rekeyed()
        .onSuccess(
            n -> {
              if (n > 0) {
                LOG.info("directory.match_claim is {}: {} people seen re-read by it", claim, n);
              }
            })
        .onFailure(
            e -> LOG.warn("could not re-read the people seen by {}: {}", claim, e.toString()));
    return people;
  }

  /** One round of the sweeper, as the timer runs it; answers how many rows it changed. */
  Future<Integer> sweep() {
    // Requests first (an ended grant is expired), then the extensions that can no longer apply.
    return service
        .sweeps()
        .sweep()
        .compose(n -> extensions.sweeps().sweep().map(m -> n + m))
        .compose(n -> people.forget(clock.instant().minus(PeopleSeen.SEEN_WITHIN)).map(n))
        .onComplete(
            done -> {
              if (done.failed()) {
                // Next round retries; the database or audit being down shows in readiness already.
                LOG.warn("sweeper: {}", done.cause().getMessage());
              } else if (done.result() > 0) {
                LOG.info(
                    "sweeper: {} requests timed out, expired, reminded or escalated",
                    done.result());
              }
            });
  }

  /** Stops the sweeper and the outbox worker; answers when deliveries under way have ended. */
  Future<Void> stopDeliveries() {
    vertx.cancelTimer(sweeper);
    vertx.cancelTimer(endChecks);
    return worker.stop();
  }

  @Override
  public void close() {
    vertx.cancelTimer(sweeper);
    vertx.cancelTimer(endChecks);
    facts.close();
    if (backlogTimer >= 0) {
      vertx.cancelTimer(backlogTimer);
    }
    worker.close();
    notifier.close();
    teams.ifPresent(TeamsListener::close);
  }
}
