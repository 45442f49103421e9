package dev.stint.access;

import dev.stint.access.AccessRequest.Lifecycle;
import dev.stint.access.AccessRequest.Revision;
import dev.stint.common.Ids;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.policy.FactValues;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Filing a request: a person's, one the issuance pipeline opens when its profile auto-approves, or
 * one a CI job opens under a CI rule. Policy answers who may request and what approves it at once;
 * the state machine makes the request; the store makes it durable with its audit events; the feed
 * hears of it after the commit.
 */
final class RequestFiling {
  private final AccessStore store;
  private final PolicyInForce policies;
  private final AccessAudit audit;
  private final AccessSettings settings;
  private final Clock clock;
  private final FactLookups lookups;
  private final Consumer<List<RequestListener.Change>> committed;
  private final Ids ids = new Ids();

  RequestFiling(AccessCore core) {
    this.store = core.store();
    this.audit = core.audit();
    this.policies = core.policies();
    this.settings = core.settings();
    this.clock = core.clock();
    this.lookups = core.lookups();
    this.committed = core.feed();
  }

  /** Creates a request; auto-approval and break-glass approve it at once. */
  Future<AccessRequest> create(Caller caller, NewRequest asked) {
    Policy policy = policies.current();
    if (refusedWithoutFacts(policy, caller, asked)) {
      // Nothing is looked up for a caller the requesters rule refuses anyway: a lookup per
      // refused request would let anyone with a token spend the providers' rate limits.
      return create(caller, asked, policy, false, FactValues.NONE);
    }
    return lookups
        .looked(policy, caller, asked)
        .compose(looked -> create(caller, asked, policy, false, looked));
  }

  private boolean refusedWithoutFacts(Policy policy, Caller caller, NewRequest asked) {
    Optional<Profile> profile = policy.profile(asked.profile());
    return profile.isEmpty()
        || (profile.get().requesters().needs().none()
            && !new FilingRules(policy, Act.now(clock))
                .mayRequest(caller.principal(), profile.get(), asked)
                .allowed());
  }

  /**
   * For the issuance pipeline, on its own policy snapshot: creates a request only if the profile's
   * {@code auto_approve} approves it, and then approved. Otherwise nothing is created and the
   * caller is told to request access ({@code approval_required}). The policy is asked once, here;
   * the requester checks apply as for any request.
   */
  Future<AccessRequest> createAutoApproved(Caller caller, NewRequest asked, Policy policy) {
    Optional<Profile> profile = policy.profile(asked.profile());
    if (asked.breakGlass() || profile.isEmpty()) {
      return Future.failedFuture(approvalRequired(asked));
    }
    return lookups
        .looked(policy, caller, asked)
        .compose(
            looked ->
                approvedAtOnce(
                        new FilingRules(policy, Act.now(clock)),
                        caller,
                        profile.get(),
                        asked,
                        looked)
                    ? create(caller, asked, policy, true, looked)
                    : Future.failedFuture(approvalRequired(asked)));
  }

  /** Approved when filed: the profile auto-approves it, or its every stage is skipped. */
  private static boolean approvedAtOnce(
      FilingRules rules, Caller caller, Profile profile, NewRequest asked, FactValues looked) {
    return rules.autoApproves(caller.principal(), profile, asked, looked)
        || Lifecycle.pending(rules.stages(caller.principal(), profile, asked, looked))
                .approvalsRequired()
            == 0;
  }

  private static StintException approvalRequired(NewRequest asked) {
    return new StintException(
        ErrorCode.APPROVAL_REQUIRED,
        "no active grant for profile "
            + asked.profile()
            + "; request one with 'stint request "
            + asked.profile()
            + "'");
  }

  private Future<AccessRequest> create(
      Caller caller, NewRequest asked, Policy policy, boolean autoApproved, FactValues looked) {
    Instant now = Act.now(clock);
    FilingRules rules = new FilingRules(policy, now);
    Profile profile;
    NewRequest checked;
    try {
      profile =
          policy
              .profile(asked.profile())
              .orElseThrow(
                  () -> StintException.notFound("unknown profile '" + asked.profile() + "'"));
      RequestChecks.validate(asked, profile, settings, now);
      rules.mayRequest(caller.principal(), profile, asked, looked).orRefuse();
      // After the requester check: who may not request the profile learns nothing of its values.
      checked = narrowed(caller, profile, asked, now);
    } catch (StintException e) {
      return audit
          .refused(caller, "request.create", asked.profile(), Optional.empty(), e, looked)
          .compose(x -> Future.failedFuture(e));
    }
    boolean auto =
        !checked.breakGlass()
            && (autoApproved || rules.autoApproves(caller.principal(), profile, checked, looked));
    return insert(caller, profile, checked, auto, rules, Optional.empty(), looked);
  }

  /**
   * {@code asked} with its values checked and the document they fill ({@link RequestParameters}).
   */
  private static NewRequest narrowed(
      Caller caller, Profile profile, NewRequest asked, Instant now) {
    return asked.withNarrowed(
        RequestParameters.checked(profile, asked.narrowed().values(), caller.principal(), now));
  }

  /**
   * A request made by a CI job under a CI rule that needs a human approval. The CI rule has already
   * matched the token, so the profile's requesters condition does not apply; approval works as for
   * any other request.
   */
  Future<AccessRequest> createForCi(
      Caller caller, Profile profile, NewRequest asked, String ciRule) {
    FilingRules rules = new FilingRules(policies.current(), Act.now(clock));
    NewRequest checked;
    try {
      checked = narrowed(caller, profile, asked, rules.now());
    } catch (StintException e) {
      return audit
          .refused(caller, "request.create", asked.profile(), Optional.empty(), e, FactValues.NONE)
          .compose(x -> Future.failedFuture(e));
    }
    return insert(caller, profile, checked, false, rules, Optional.of(ciRule), FactValues.NONE);
  }

  /**
   * Stores a new request with the stages it has as filed; it is approved at once when the policy
   * auto-approves it, every stage is skipped, or it is break-glass.
   */
  private Future<AccessRequest> insert(
      Caller caller,
      Profile profile,
      NewRequest asked,
      boolean autoApproved,
      FilingRules rules,
      Optional<String> ciRule,
      FactValues looked) {
    Instant now = rules.now();
    // A CI rule that asks for approval asks for a person: nothing is skipped for a job's token.
    Lifecycle pending =
        Lifecycle.pending(
            ciRule.isPresent()
                ? rules.unskipped(profile)
                : rules.stages(caller.principal(), profile, asked, looked));
    boolean auto = autoApproved || (!asked.breakGlass() && pending.approvalsRequired() == 0);
    AccessRequest draft =
        new AccessRequest(ids.request(), caller.person(), asked, pending, Revision.first(now));
    AccessRequest request = RequestMachine.created(draft, auto || asked.breakGlass(), ids.grant());
    List<String> events =
        asked.breakGlass()
            ? List.of("request.created", "break_glass.used")
            : auto ? List.of("request.created", "request.approved") : List.of("request.created");
    List<RequestListener.Change> changes =
        events.stream()
            .map(
                type ->
                    new RequestListener.Change(
                        type, request, caller.person(), Optional.<String>empty(), now))
            .toList();
    return store
        .insert(
            request,
            ciRule,
            FactLookups.matchable(caller).email().isPresent(),
            r -> audit.created(caller, r, profile, events, looked),
            changes)
        .recover(e -> refusedInStore(caller, asked.profile(), e, looked))
        .onSuccess(r -> committed.accept(changes));
  }

  /**
   * A refusal the insert's own transaction made (a person a review suspended from the profile),
   * recorded as any refused request is, then passed on; other failures pass on as they are.
   */
  private <T> Future<T> refusedInStore(
      Caller caller, String profile, Throwable e, FactValues looked) {
    if (!(e instanceof StintException refused) || refused.code() != ErrorCode.FORBIDDEN) {
      return Future.failedFuture(e);
    }
    return audit
        .refused(caller, "request.create", profile, Optional.empty(), refused, looked)
        .compose(x -> Future.failedFuture(e));
  }
}
