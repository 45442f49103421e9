package dev.stint.app;

import dev.stint.activity.ActivityAnomalies;
import dev.stint.activity.ActivityIngest;
import dev.stint.activity.GrantActivity;
import dev.stint.activity.PortalRoleFinder;
import dev.stint.activity.RoleWatch;
import dev.stint.activity.Visibility;
import dev.stint.audit.AuditLog;
import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.Cloud;
import dev.stint.config.StintConfig;
import dev.stint.finding.FindingNews;
import dev.stint.http.IngestRoutes;
import dev.stint.http.RouteModule;
import dev.stint.ledger.Ledger;
import dev.stint.mint.aws.CloudTrailRecords;
import dev.stint.notify.Alarms;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Activity per grant beyond the lookups: the per-request view, the watch on the policy's roles, the
 * CloudTrail ingest when {@code activity.ingest_token} is set (without it the route does not
 * exist), and the findings judged on the calls as they are kept.
 */
final class ActivityWiring implements AutoCloseable {
  private final GrantActivity view;
  private final ActivityIngest.Watch watch;
  private final Optional<ActivityIngest> ingest;
  private final Visibility.Push push;
  private final FindingWiring findings;

  /**
   * The policy whose roles are watched and whose findings rules judge the calls, the audit, the
   * alarm a role assumed outside raises, the requests and leases a finding reads and ends, and the
   * Slack app's notices of findings when there is one (the webhooks' and Teams' are {@code
   * access}'s), and where an Identity Center grant's provisioned role is (its portal sessions'
   * calls are the grant's).
   */
  record Needs(
      PolicyInForce policies,
      AuditLog audit,
      Alarms alarms,
      AccessWiring access,
      Optional<FindingNews> slack,
      PortalRoleFinder portalRoles) {}

  ActivityWiring(Vertx vertx, Pool pool, StintConfig all, Needs needs, Clock clock) {
    StintConfig.ActivityConfig config = all.activity();
    this.push = Visibility.Push.of(config.ingestToken().isPresent());
    this.view = new GrantActivity(pool, new Ledger(pool), push, needs.portalRoles());
    this.findings =
        new FindingWiring(
            vertx,
            pool,
            all.access(),
            new FindingWiring.Needs(needs.policies(), needs.audit(), needs.access(), news(needs)),
            clock);
    findings.judge(view);
    this.watch =
        new ActivityIngest.Watch(
            new RoleWatch(
                view,
                () -> roles(needs.policies().current()),
                needs.audit(),
                needs.alarms()::roleAssumedOutside,
                clock),
            new ActivityAnomalies(view, needs.audit(), needs.alarms()::eventConflicted, clock));
    this.ingest =
        config
            .ingestToken()
            .map(
                token ->
                    new ActivityIngest(
                        view,
                        new ActivityIngest.Reading(token, CloudTrailRecords::delivered),
                        watch,
                        clock));
  }

  /** Everyone a live finding is told through: the webhooks, Teams, the Slack app. */
  private static List<FindingNews> news(Needs needs) {
    List<FindingNews> all = new ArrayList<>(needs.access().findingNews());
    needs.slack().ifPresent(all::add);
    return all;
  }

  GrantActivity view() {
    return view;
  }

  /** What each call found or pushed is checked by: the policy's roles, and the anomalies. */
  ActivityIngest.Watch watch() {
    return watch;
  }

  /** Whether the CloudTrail ingest is on: without it no data event is ever seen. */
  Visibility.Push push() {
    return push;
  }

  RouteModule routes() {
    return router -> ingest.ifPresent(i -> new IngestRoutes(i).register(router));
  }

  /** The findings judged on the calls kept. */
  FindingWiring findings() {
    return findings;
  }

  @Override
  public void close() {
    findings.close();
  }

  /**
   * Calls to the ingest refused for their token, and calls of keys stint never issued: neither is
   * audited or kept, so they are counted here; and calls not kept for disagreeing with the ledger,
   * each also audited once.
   */
  void publish(MeterRegistry registry) {
    findings.publish(registry);
    FunctionCounter.builder(
            "stint_activity_portal_calls_ignored", view, GrantActivity::portalCallsIgnored)
        .description(
            "Calls found by an Identity Center user's name that are no grant's: another permission"
                + " set or account, or outside every grant's window")
        .register(registry);
    ingest.ifPresent(
        i -> {
          FunctionCounter.builder(
                  "stint_activity_ingest_unauthenticated_calls", i, ActivityIngest::unauthenticated)
              .description("Calls to the CloudTrail ingest refused for their bearer token")
              .register(registry);
          FunctionCounter.builder(
                  "stint_activity_ingest_unmatched_calls", i, ActivityIngest::unmatchedCalls)
              .description("Events pushed to the CloudTrail ingest for a key stint never issued")
              .register(registry);
          FunctionCounter.builder(
                  "stint_activity_ingest_mismatched_calls", i, ActivityIngest::mismatchedCalls)
              .description(
                  "Events pushed to the CloudTrail ingest that disagree with the ledger's record"
                      + " of the credential whose key they name: not kept")
              .register(registry);
        });
  }

  /** The AWS roles the profiles of {@code policy} name. */
  static Set<String> roles(Policy policy) {
    return policy.profiles().values().stream()
        .flatMap(p -> Cloud.AWS.target(p.target()).stream())
        // An Identity Center profile names no role of its own: its role's suffix is AWS's.
        .filter(t -> t.assignment().isEmpty())
        .map(AwsTarget::roleArn)
        .collect(Collectors.toUnmodifiableSet());
  }
}
