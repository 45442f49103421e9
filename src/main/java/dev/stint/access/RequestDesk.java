package dev.stint.access;

import dev.stint.error.StintException;
import dev.stint.policy.Escalation;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The requests as people's callers file and read them ({@link Requests}: the routes, the pages, the
 * notifiers): each read answers what the policy in force lets the caller see; filing is {@link
 * RequestFiling}'s. The issuance pipeline asks its own port ({@link GrantDesk}).
 */
final class RequestDesk implements Requests {
  private final AccessStore store;
  private final PolicyInForce policies;
  private final Clock clock;
  private final FactLookups lookups;
  private final RequestFiling filing;
  private final RevokeTurns revokeTurns;

  RequestDesk(AccessCore core, RequestFiling filing) {
    this.store = core.store();
    this.policies = core.policies();
    this.clock = core.clock();
    this.lookups = core.lookups();
    this.filing = filing;
    this.revokeTurns = core.revokeTurns();
  }

  @Override
  public <T> Future<T> inRevokeTurn(Caller caller, Supplier<Future<T>> revoke) {
    return revokeTurns.inTurn(caller.person(), revoke);
  }

  @Override
  public Future<AccessRequest> create(Caller caller, NewRequest asked) {
    return filing.create(caller, asked);
  }

  /**
   * What the policy in force lets the caller do with this request: see, approve, deny, cancel,
   * revoke, review, extend. For choosing buttons; {@link #decide} asks again under the row lock.
   */
  @Override
  public RequestRights rights(Caller caller, AccessRequest r) {
    Instant now = Act.now(clock);
    return new AccessRules(policies.current(), now)
        .rights(caller.principal(), r, lookups.known(caller, r));
  }

  /**
   * The escalation the policy in force applies to request {@code r} now: empty until it has waited
   * its profile's {@code escalate_after}, or when the profile does not escalate.
   */
  @Override
  public Optional<Escalation> escalated(AccessRequest r) {
    return new AccessRules(policies.current(), Act.now(clock)).escalated(r);
  }

  @Override
  public Future<AccessRequest> get(Caller caller, String id) {
    Policy policy = policies.current();
    AccessRules rules = new AccessRules(policy, Act.now(clock));
    return store
        .find(id)
        .compose(
            found ->
                found.isEmpty()
                    ? Future.succeededFuture(found)
                    : seen(caller, found.get(), policy, rules))
        .compose(
            seen ->
                seen.map(Future::succeededFuture)
                    .orElseGet(
                        () -> Future.failedFuture(StintException.notFound("no request " + id))));
  }

  /**
   * {@code r} when the caller may see it, deciding with the facts its profile's approver rules read
   * (looked up, so that whoever is on call finds the request they may approve).
   */
  private Future<Optional<AccessRequest>> seen(
      Caller caller, AccessRequest r, Policy policy, AccessRules rules) {
    FactNeeds needs = policy.profile(r.profile()).map(Profile::voteNeeds).orElse(FactNeeds.NONE);
    return lookups
        .lookUp(needs, caller, Optional.of(FactContexts.asked(r)))
        .map(
            looked ->
                Optional.of(r)
                    .filter(x -> rules.rights(caller.principal(), x, looked).maySee().allowed()));
  }

  /**
   * The requests the caller may see (their own, those they may decide, all for auditors), and where
   * the next page starts: after the last row read, seen or not.
   */
  @Override
  public Future<Requests.Page> page(Caller caller, Requests.Filter filter) {
    Policy policy = policies.current();
    Instant now = Act.now(clock);
    AccessRules rules = new AccessRules(policy, now);
    // Whoever is on call sees what they may approve; a ticket's facts are those known lately.
    FactNeeds schedules =
        new FactNeeds(
            policy.profiles().values().stream()
                .flatMap(p -> p.voteNeeds().schedules().stream())
                .collect(Collectors.toSet()),
            false);
    return Future.all(store.page(filter), lookups.lookUp(schedules, caller, Optional.empty()))
        .map(
            x -> {
              Requests.Page all = x.resultAt(0);
              return new Requests.Page(
                  all.requests().stream()
                      .filter(
                          r ->
                              rules
                                  .rights(caller.principal(), r, lookups.known(caller, r))
                                  .maySee()
                                  .allowed())
                      .toList(),
                  all.next());
            });
  }

  /**
   * The requests decided together with {@code r}: its bundle's, in order, or {@code r} alone. For
   * the notifiers, which act for no caller.
   */
  @Override
  public Future<List<AccessRequest>> decidedWith(AccessRequest r) {
    return store
        .bundles()
        .of(r.id())
        .compose(
            ref -> {
              if (ref.isEmpty()) {
                return Future.succeededFuture(List.of(r));
              }
              List<Future<Optional<AccessRequest>>> each =
                  ref.get().requestIds().stream().map(store::find).toList();
              return Future.all(each)
                  .map(x -> each.stream().map(f -> f.result().orElse(r)).toList());
            });
  }

  /**
   * When request {@code id}'s grant ends, or ended: its revocation when revoked, else its end;
   * empty when it has no grant. For stint's own use (activity), not a caller's.
   */
  Future<Optional<Instant>> grantEnd(String id) {
    return store
        .find(id)
        .map(
            found ->
                found
                    .flatMap(AccessRequest::grant)
                    .map(
                        g ->
                            g.revocation()
                                .map(Grant.Revocation::at)
                                .filter(at -> at.isBefore(g.endsAt()))
                                .orElse(g.endsAt())));
  }
}
