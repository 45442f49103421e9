package dev.stint.extension;

import dev.stint.access.AccessRequest;
import dev.stint.access.Caller;
import dev.stint.access.NewRequest;
import dev.stint.common.Ids;
import dev.stint.error.StintException;
import dev.stint.policy.ExtensionRule;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import dev.stint.policy.ReasonRule;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The holder of a grant asks for more time, under its request's row lock:
 *
 * <ol>
 *   <li>a request the caller may not see is the same 404 as one that does not exist, on the record;
 *   <li>a grant a CI rule opened is not extended, and the policy says whether the caller may ask
 *       ({@link RequestRights#mayExtend}); a no is recorded and answered;
 *   <li>{@link ExtensionMachine#ask} decides, with the profile's extension rule and whether the ask
 *       is approved at once;
 *   <li>the audit records it (one approved at once as asked, then granted), and the store writes it
 *       with its outbox rows;
 *   <li>after the commit, who listens is told and the caller answered.
 * </ol>
 */
final class ExtensionAsking {
  private final ExtensionStore store;
  private final PolicyInForce policies;
  private final ExtensionAudit audit;
  private final ExtensionNews news;
  private final Supplier<Instant> now;
  private final Ids ids = new Ids();

  ExtensionAsking(
      ExtensionStore store,
      PolicyInForce policies,
      ExtensionAudit audit,
      ExtensionNews news,
      Supplier<Instant> now) {
    this.store = store;
    this.policies = policies;
    this.audit = audit;
    this.news = news;
    this.now = now;
  }

  /** The holder of the request's grant asks for {@code by} more. */
  Future<Extended> extend(Caller caller, String requestId, Duration by, String reason) {
    Instant at = now.get();
    Policy policy = policies.current();
    return store
        .update(
            requestId,
            locked -> asked(caller, locked, new Asked(requestId, policy, by, reason, at)),
            (locked, c) -> ExtensionNews.changes(c, locked.request(), caller.person(), at))
        .recover(
            e -> audit.whenUnseen(caller, "extend", Optional.of(requestId), Optional.empty(), e))
        .compose(result -> news.answer(result, requestId, caller.person()));
  }

  /** What is asked of which request (its id as given), on which policy, at which moment. */
  private record Asked(String requestId, Policy policy, Duration by, String reason, Instant at) {}

  /** Steps 1 to 4, under the lock. */
  private Future<ExtensionMachine.Result> asked(
      Caller caller, ExtensionStore.Locked locked, Asked a) {
    AccessRequest original = locked.request();
    RequestRights may =
        new PolicyEvaluator(a.policy())
            .rights(caller.principal(), original.filed(original.requester()), a.at());
    if (!may.maySee().allowed()) {
      return Future.failedFuture(StintException.notFound("no request " + a.requestId()));
    }
    Optional<ExtensionMachine.Refused> refused =
        ExtensionMachine.openedByCiRule(locked.ciRule())
            .or(() -> ExtensionMachine.refusal(may.mayExtend()));
    if (refused.isPresent()) {
      return audit
          .acted(caller, "extend", original, refused.get())
          .map(x -> (ExtensionMachine.Result) refused.get());
    }
    ExtensionMachine.Result result =
        ExtensionMachine.ask(ask(caller, locked, a), ids.extension(), a.at());
    Future<Void> recorded = Future.succeededFuture();
    if (result instanceof ExtensionMachine.Changed c && c.newGrantEnd().isPresent()) {
      // Approved at once: the record still shows that it was asked for, then granted.
      recorded =
          audit.acted(
              caller,
              "extend",
              original,
              new ExtensionMachine.Changed(
                  c.extension(), "grant.extension_requested", Optional.empty()));
    }
    return recorded.compose(x -> audit.acted(caller, "extend", original, result)).map(result);
  }

  /**
   * What the holder asks for, with what the policy in force says of it: the profile's extension
   * rule, its approval count, and whether it approves this one at once.
   */
  private static ExtensionMachine.ExtensionAsk ask(
      Caller caller, ExtensionStore.Locked locked, Asked a) {
    AccessRequest original = locked.request();
    Optional<Profile> profile = a.policy().profile(original.profile());
    Optional<ExtensionRule> rule = profile.flatMap(Profile::extension);
    boolean auto =
        profile.isPresent()
            && rule.isPresent()
            && (rule.get().approval() == ExtensionRule.Approval.AUTO
                || new PolicyEvaluator(a.policy())
                    .autoApproves(
                        caller.principal(),
                        profile.get(),
                        new NewRequest(
                                original.profile(),
                                a.by(),
                                a.reason(),
                                Optional.empty(),
                                Optional.empty(),
                                false)
                            .facts(),
                        a.at())
                    .allowed());
    return new ExtensionMachine.ExtensionAsk(
        original,
        caller.person(),
        a.by(),
        a.reason(),
        rule,
        locked.pending(),
        profile.map(p -> p.approval().last().count()).orElse(1),
        auto,
        profile.map(Profile::reason).orElse(ReasonRule.NONE));
  }
}
