package dev.stint.extension;

import dev.stint.access.AccessRequest;
import dev.stint.access.Act;
import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.Vote;
import dev.stint.access.VoterFacts;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.policy.FactValues;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Approve, deny or cancel a pending extension, through the rules a vote on a request goes through:
 *
 * <ol>
 *   <li>find the request the extension hangs on, and look up the facts the approver rules read
 *       about the voter, before the lock;
 *   <li>under the request's row lock, an extension that does not exist or whose request the caller
 *       may not see is the same 404, on the record;
 *   <li>a grant a CI rule opened is not extended ({@link ExtensionMachine#openedByCiRule});
 *   <li>{@link Vote#refusal} says whether the vote may be cast, as it does for a request's
 *       (step-up, the holder's own extension, not an approver, a second vote);
 *   <li>{@link ExtensionMachine} decides what the vote changes, the audit records it or its
 *       refusal, and the store writes it with its outbox rows;
 *   <li>after the commit, who listens is told and the caller answered.
 * </ol>
 */
final class ExtensionDeciding {
  private final ExtensionStore store;
  private final PolicyInForce policies;
  private final ExtensionAudit audit;
  private final VoterFacts facts;
  private final ExtensionNews news;
  private final Supplier<Instant> now;

  /** The parts a decision needs: the extensions' store and audit, who hears, and the clock. */
  record Parts(
      ExtensionStore store, ExtensionAudit audit, ExtensionNews news, Supplier<Instant> now) {}

  ExtensionDeciding(Parts parts, PolicyInForce policies, VoterFacts facts) {
    this.store = parts.store();
    this.audit = parts.audit();
    this.news = parts.news();
    this.now = parts.now();
    this.policies = policies;
    this.facts = facts;
  }

  /** One decision, as asked: by whom, on which extension, what, when and on which policy. */
  private record Asked(Caller caller, String extensionId, Action action, Act act, Policy policy) {}

  Future<Extended> decide(
      Caller caller, String extensionId, Action action, Optional<String> comment) {
    Asked asked =
        new Asked(
            caller,
            extensionId,
            action,
            new Act(caller.person(), now.get(), comment),
            policies.current());
    return store
        .requestOf(extensionId)
        .compose(
            requestId ->
                requestId.isEmpty()
                    ? Future.failedFuture(StintException.notFound("no extension " + extensionId))
                    : facts
                        .lookUp(caller, requestId.get())
                        .compose(looked -> decideLocked(asked, requestId.get(), looked)))
        .recover(
            e ->
                audit.whenUnseen(
                    caller, action.code(), Optional.empty(), Optional.of(extensionId), e));
  }

  /** Steps 2 to 6, with the facts {@code looked} up before the lock. */
  private Future<Extended> decideLocked(Asked a, String requestId, FactValues looked) {
    return store
        .update(
            requestId,
            locked -> judge(a, locked, looked),
            (locked, c) ->
                ExtensionNews.changes(c, locked.request(), a.caller().person(), a.act().at()))
        .compose(result -> news.answer(result, requestId, a.caller().person()));
  }

  private Future<ExtensionMachine.Result> judge(
      Asked a, ExtensionStore.Locked locked, FactValues looked) {
    AccessRequest original = locked.request();
    RequestRights may =
        new PolicyEvaluator(a.policy())
            .rights(
                a.caller().principal(),
                original.filed(original.requester()).withFacts(looked),
                a.act().at());
    Optional<Extension> e = locked.find(a.extensionId());
    if (e.isEmpty() || !may.maySee().allowed()) {
      return Future.failedFuture(StintException.notFound("no extension " + a.extensionId()));
    }
    ExtensionMachine.Result result =
        refused(a, locked, e.get(), may).orElseGet(() -> cast(a, original, e.get(), may));
    return audit.acted(a.caller(), a.action().code(), original, result).map(result);
  }

  /** Steps 3 and 4: why this vote may not be cast; empty when it may. */
  private static Optional<ExtensionMachine.Result> refused(
      Asked a, ExtensionStore.Locked locked, Extension e, RequestRights may) {
    Optional<ExtensionMachine.Refused> underCiRule =
        a.action() == Action.APPROVE
            ? ExtensionMachine.openedByCiRule(locked.ciRule())
            : Optional.empty();
    return underCiRule
        .or(
            () ->
                Vote.refusal(e.subject(), a.action(), a.act().actor(), may)
                    .map(no -> new ExtensionMachine.Refused(no.code(), no.reason())))
        .map(ExtensionMachine.Result.class::cast);
  }

  /** Step 5: the vote {@link Vote#refusal} let through, as the machine applies it. */
  private static ExtensionMachine.Result cast(
      Asked a, AccessRequest original, Extension e, RequestRights may) {
    return switch (a.action()) {
      case APPROVE ->
          ExtensionMachine.approve(
              e,
              original,
              a.act(),
              may.mayApprove().allowed(),
              a.policy().profile(original.profile()).flatMap(Profile::extension));
      case DENY -> ExtensionMachine.deny(e, a.act(), may.mayDeny().allowed());
      case CANCEL -> ExtensionMachine.cancel(e, a.act());
      // Vote refuses these first; a refusal here, not a throw, keeps it on the record if not.
      case REVOKE, REVIEW ->
          new ExtensionMachine.Refused(
              ErrorCode.INVALID_REQUEST, "an extension can be approved, denied or cancelled");
    };
  }
}
