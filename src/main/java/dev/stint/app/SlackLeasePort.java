package dev.stint.app;

import dev.stint.access.AccessRequest;
import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.NewRequest;
import dev.stint.identity.Directory;
import dev.stint.identity.Person;
import dev.stint.lease.Lease;
import dev.stint.lease.LeaseMessages;
import dev.stint.lease.Leasing;
import dev.stint.notify.slack.SlackApprovers;
import dev.stint.notify.slack.SlackLease;
import dev.stint.notify.slack.SlackLeaseDecisions;
import dev.stint.people.StoredClaims;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * Slack's port to agents' asks, over the lease service's ports: reads one through {@link
 * LeaseMessages} (only a lease an enrolled agent asked), says whose vote would count on it ({@link
 * LeaseMessages#couldApprove}, with its request read afresh), and decides one through {@link
 * Leasing#decide}, the use case the web and the API use.
 */
final class SlackLeasePort implements SlackLeaseDecisions {
  private final LeaseMessages leases;
  private final Leasing leasing;
  private final Function<String, Future<Optional<AccessRequest>>> requests;
  private final PolicyInForce policies;
  private final Directory directory;
  private final Clock clock;

  /** What the port reads and decides through. */
  record Sources(
      LeaseMessages leases,
      Leasing leasing,
      Function<String, Future<Optional<AccessRequest>>> requests,
      PolicyInForce policies,
      Directory directory) {}

  SlackLeasePort(Sources sources, Clock clock) {
    this.leases = sources.leases();
    this.leasing = sources.leasing();
    this.requests = sources.requests();
    this.policies = sources.policies();
    this.directory = sources.directory();
    this.clock = clock;
  }

  @Override
  public Future<Optional<SlackLease>> find(String leaseId) {
    return leases
        .find(leaseId)
        .map(found -> found.filter(l -> l.askedBy().isPresent()).map(this::shown));
  }

  @Override
  public Future<SlackApprovers.Counts> voters(String leaseId) {
    return leases
        .find(leaseId)
        .compose(
            found ->
                found.isEmpty()
                    ? Future.succeededFuture(SlackApprovers.Counts.NOBODY)
                    : requests
                        .apply(found.get().requestId())
                        .map(
                            r ->
                                r.map(request -> counts(request, found.get()))
                                    .orElse(SlackApprovers.Counts.NOBODY)));
  }

  private SlackApprovers.Counts counts(AccessRequest r, Lease l) {
    return (stored, issuer, subject) ->
        StoredClaims.principal(stored, issuer, subject, policies.current()::issuer, directory)
            .filter(p -> leases.couldApprove(p, r, l))
            .isPresent();
  }

  @Override
  public Future<Void> decide(Caller caller, String leaseId, Action action) {
    return leasing.decide(caller, leaseId, action, Optional.of("from Slack")).mapEmpty();
  }

  private SlackLease shown(Lease l) {
    Lease.AskedBy a = l.askedBy().orElseThrow();
    String state = l.stateAt(clock.instant());
    return new SlackLease(
        l.id(),
        l.requestId(),
        l.profile(),
        l.holder(),
        l.task(),
        new SlackLease.Asked(a.agentName(), a.owner(), a.approverRequired()),
        new NewRequest.Narrowed(l.narrowing().values(), l.narrowing().policy()),
        l.window().createdAt(),
        l.window().expiresAt(),
        new SlackLease.Standing(state, decidedBy(l, state)));
  }

  /** Who decided it: its approver while active, whoever ended it (a denial's approver) after. */
  private static Optional<Person> decidedBy(Lease l, String state) {
    return switch (state) {
      case "active" -> l.approval().map(Lease.End::by);
      case "denied", "revoked", "ended" -> l.end().map(Lease.End::by);
      default -> Optional.empty();
    };
  }
}
