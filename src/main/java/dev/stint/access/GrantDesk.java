package dev.stint.access;

import dev.stint.common.ParameterValues;
import dev.stint.identity.Person;
import dev.stint.policy.Policy;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Optional;

/**
 * The requests and grants as the issuance pipeline asks for them ({@link Grants}), and a task lease
 * after it: the grant a credential is minted on, read afresh; the request an auto-approving profile
 * or a CI rule opens, filed by {@link RequestFiling}; a CI job's own request, read as {@link
 * Requests} reads any caller's.
 */
final class GrantDesk implements Grants {
  private final AccessStore store;
  private final Clock clock;
  private final RequestFiling filing;
  private final Requests requests;

  GrantDesk(AccessCore core, RequestFiling filing, Requests requests) {
    this.store = core.store();
    this.clock = core.clock();
    this.filing = filing;
    this.requests = requests;
  }

  /**
   * For the issuance pipeline, on its own policy snapshot: creates a request only if the profile's
   * {@code auto_approve} approves it, and then approved; otherwise {@code approval_required}.
   */
  @Override
  public Future<AccessRequest> createAutoApproved(Caller caller, NewRequest asked, Policy policy) {
    return filing.createAutoApproved(caller, asked, policy);
  }

  @Override
  public Future<AccessRequest> createForCi(
      Caller caller, Profile profile, NewRequest asked, String ciRule) {
    return filing.createForCi(caller, profile, asked, ciRule);
  }

  @Override
  public Future<AccessRequest> get(Caller caller, String id) {
    return requests.get(caller, id);
  }

  @Override
  public Future<Optional<Grant>> activeGrant(
      Caller caller, String profile, ParameterValues values) {
    return store
        .grants()
        .longestActiveGrant(caller.person(), profile, Act.now(clock), Optional.empty(), values);
  }

  @Override
  public Future<Optional<Grant>> activeGrantUnderCiRule(
      Caller caller, String profile, String ciRule, ParameterValues values) {
    return store
        .grants()
        .longestActiveGrant(caller.person(), profile, Act.now(clock), Optional.of(ciRule), values);
  }

  @Override
  public Future<Boolean> grantRevoked(String grantId) {
    return store.grants().grantRevoked(grantId);
  }

  @Override
  public Future<Optional<Grant>> grantOfLease(String requestId) {
    return store.grants().ofRequest(requestId);
  }

  @Override
  public Future<Optional<AccessRequest>> requestOfLease(String requestId) {
    return store.find(requestId);
  }

  @Override
  public Future<Optional<EligibilityHolds.Hold>> held(Person person, String profile) {
    return store.held(person, profile);
  }

  @Override
  public Future<Optional<String>> ciRuleOf(String id) {
    return store.ciRuleOf(id);
  }

  @Override
  public Future<Optional<AccessRequest>> pendingUnderCiRule(
      Caller caller, String profile, String ciRule) {
    return store.pendingUnderCiRule(caller.person(), profile, ciRule);
  }
}
