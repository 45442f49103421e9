package dev.stint.app;

import dev.stint.access.Leavers;
import dev.stint.audit.AuditLog;
import dev.stint.config.StintConfig;
import dev.stint.directory.Deprovisioning;
import dev.stint.directory.DirectoryView;
import dev.stint.directory.FirstCalls;
import dev.stint.directory.Scim;
import dev.stint.extension.ExtensionLeavers;
import dev.stint.http.ReadinessCheck;
import dev.stint.http.RouteModule;
import dev.stint.http.ScimRoutes;
import dev.stint.identity.Directory;
import dev.stint.identity.IssuerUse;
import dev.stint.identity.MatchClaim;
import dev.stint.people.PeopleSeen;
import dev.stint.policy.IssuerConfig;
import dev.stint.policy.Policy;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory an identity provider pushes over SCIM, when {@code directory.scim_token} is set
 * (without it {@code /scim/v2} does not exist).
 */
final class DirectoryWiring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryWiring.class);

  /**
   * How often every replica looks for deprovisioning work: the replica that took the SCIM write
   * starts it at once; this is for work whose replica stopped before doing it.
   */
  static final Duration DEPROVISION_EVERY = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final Optional<Scim> scim;
  private final Supplier<Optional<String>> issuerUrl;
  private final Directory admission;

  /** Why SCIM without a people issuer to match users to is refused, and not ready. */
  static final String UNMATCHED =
      "directory.scim_token is set but directory.issuer names no issuer of the policy for people:"
          + " no directory user would be matched to anyone, so nobody the directory deactivates"
          + " or deletes would lose their access";

  private long timer = -1;

  /**
   * The policy in force (its people issuer matches directory users to people), the audit, what
   * deprovisioning ends, the in-memory view of the directory, and who has been seen.
   */
  record Needs(
      Supplier<Policy> policy,
      AuditLog audit,
      Deprovisioning deprovisioning,
      DirectoryView view,
      PeopleSeen people) {}

  DirectoryWiring(Vertx vertx, Pool pool, StintConfig config, Needs needs, Clock clock) {
    this.vertx = vertx;
    Supplier<Policy> policy = needs.policy();
    DirectoryView view = needs.view();
    this.issuerUrl = () -> peopleIssuer(config, policy.get()).map(IssuerConfig::issuerUrl);
    if (config.directory().scimToken().isPresent()
        && peopleIssuer(config, policy.get()).isEmpty()) {
      throw new StartupException(UNMATCHED, null);
    }
    MatchClaim claim = new MatchClaim(config.directory().matchClaim());
    this.scim =
        config
            .directory()
            .scimToken()
            .map(
                token ->
                    new Scim(
                        pool,
                        needs.audit(),
                        new Scim.Settings(token, config.publicUrl(), issuerUrl, claim),
                        needs.deprovisioning(),
                        view,
                        clock));
    this.admission =
        scim.<Directory>map(
                s ->
                    new FirstCalls(
                        vertx,
                        view,
                        view::readAt,
                        issuerUrl,
                        p -> needs.people().seenNow(p).compose(x -> s.sightings().look(p)),
                        clock))
            .orElse(view);
    scim.ifPresent(
        s ->
            timer =
                vertx.setPeriodic(
                    DEPROVISION_EVERY.toMillis(),
                    t ->
                        s.deprovisions()
                            .run()
                            .onFailure(e -> LOG.warn("deprovisioning: {}", e.getMessage()))));
  }

  /**
   * The directory every caller presenting fresh claims (an API token, a sign-in) is admitted
   * through: with SCIM on, a person the in-memory view does not know is looked for in the database
   * first ({@link FirstCalls}); without it, the view alone (its marks still refuse leavers).
   */
  Directory admission() {
    return admission;
  }

  /** The issuer {@code directory.issuer} names in {@code policy}, if it is one for people. */
  static Optional<IssuerConfig> peopleIssuer(StintConfig config, Policy policy) {
    return config
        .directory()
        .issuer()
        .flatMap(policy::issuer)
        .filter(i -> i.uses().contains(IssuerUse.PEOPLE));
  }

  /**
   * {@code /readyz}'s "directory": with SCIM on, not ready while the policy in force (a reload may
   * have dropped it) has no people issuer of that name.
   */
  ReadinessCheck readiness() {
    return new ReadinessCheck(
        "directory",
        () ->
            scim.isEmpty() || issuerUrl.get().isPresent()
                ? Future.succeededFuture()
                : Future.failedFuture(UNMATCHED));
  }

  /**
   * The directory's port, done by {@code access} and then {@code extension} on the deprovisioning's
   * one transaction: the grants are revoked first, so that the leaver's pending extensions find
   * them ended. {@code access} cannot call {@code extension} (it depends on {@code access}), so the
   * two are joined here.
   */
  static Deprovisioning deprovisioning(Leavers leavers, ExtensionLeavers extensions) {
    return (conn, leaver) -> {
      Leavers.Leaving leaving =
          new Leavers.Leaving(
              "the directory deactivated or deleted user " + leaver.userId(), leaver.userId());
      return leavers
          .end(conn, leaver.person(), leaver.liftedAt(), leaving)
          .compose(
              requests ->
                  extensions
                      .end(conn, leaver.person(), leaver.liftedAt(), leaving)
                      .map(
                          ext ->
                              new Deprovisioning.Ended(
                                  requests.grantsRevoked(),
                                  requests.requestsCancelled(),
                                  requests.votesWithdrawn() + ext.votesWithdrawn(),
                                  ext.extensionsEnded(),
                                  () -> {
                                    leavers.committed(requests);
                                    extensions.committed(ext);
                                  })));
    };
  }

  @Override
  public void close() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
  }

  RouteModule routes() {
    return router -> scim.ifPresent(s -> new ScimRoutes(vertx, s).register(router));
  }

  /**
   * How old each replica's view of the directory is, and how many of its reads failed: a view that
   * stops being read again keeps old groups, which an alarm on its age catches.
   */
  static void publish(DirectoryView view, MeterRegistry registry) {
    Gauge.builder(
            "stint_directory_view_age_seconds",
            view,
            v -> Duration.between(v.readAt(), Instant.now()).toMillis() / 1000.0)
        .description("Seconds since this replica last read the directory whole")
        .register(registry);
    FunctionCounter.builder("stint_directory_view_failed_reads", view, DirectoryView::failures)
        .description("Reads of the directory that failed (each kept the answer before it)")
        .register(registry);
  }

  /** Calls to /scim/v2 refused for their bearer token: not audited, so counted here. */
  void publish(MeterRegistry registry) {
    scim.ifPresent(
        s ->
            FunctionCounter.builder(
                    "stint_directory_unauthenticated_calls", s, Scim::unauthenticated)
                .description("Calls to /scim/v2 refused for their bearer token")
                .register(registry));
    scim.ifPresent(
        s ->
            FunctionCounter.builder(
                    "stint_directory_deprovisioning_failures", s, x -> x.deprovisions().failures())
                .description(
                    "Attempts at ending a deprovisioned person's access that failed (each retried"
                        + " 30 s later)")
                .register(registry));
  }
}
