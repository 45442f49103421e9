package dev.stint.extension;

import dev.stint.access.AccessRequest;
import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.Vote;
import dev.stint.access.VoterFacts;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.policy.FactValues;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the caller may see of extensions, and what they may do with one: the pages, the API and the
 * Slack messages read here. Seeing an extension is seeing its request; whether a vote would count
 * is {@link Vote#refusal}'s answer, the one a decision gets.
 */
final class ExtensionReading {
  private final ExtensionStore store;
  private final PolicyInForce policies;
  private final VoterFacts facts;
  private final Supplier<Instant> now;

  ExtensionReading(
      ExtensionStore store, PolicyInForce policies, VoterFacts facts, Supplier<Instant> now) {
    this.store = store;
    this.policies = policies;
    this.facts = facts;
    this.now = now;
  }

  /** The policy in force, asked at one moment: one page of answers, one snapshot. */
  private Rules rules() {
    return new Rules(policies.evaluator(), now.get());
  }

  /** The policy's rules at one moment, as this class asks them of a request or its extension. */
  private record Rules(PolicyEvaluator evaluator, Instant at) {
    /** What {@code p} may do with {@code request}, or an extension of it {@code asker} asked. */
    RequestRights rights(Principal p, AccessRequest request, Person asker, FactValues looked) {
      return evaluator.rights(p, request.filed(asker).withFacts(looked), at);
    }

    boolean maySee(Principal p, AccessRequest request) {
      return rights(p, request, request.requester(), FactValues.NONE).maySee().allowed();
    }
  }

  /**
   * The extensions the caller may see (those of requests they may see: their own, those they may
   * approve, all for admins and auditors), newest first, with each grant's current end.
   */
  Future<ExtendedPage> list(
      Caller caller, boolean pendingOnly, int limit, Optional<ExtensionCursor> after) {
    Rules rules = rules();
    return store
        .list(pendingOnly, limit, after)
        .map(
            page ->
                new ExtendedPage(
                    page.extensions().stream()
                        .filter(l -> rules.maySee(caller.principal(), l.request()))
                        .map(
                            l ->
                                new Extended(l.extension(), l.request().grant().map(Grant::endsAt)))
                        .toList(),
                    page.next()));
  }

  /** Pending extensions of requests the caller may see, newest first: an approver's queue. */
  Future<List<WaitingExtension>> waiting(Caller caller, int limit) {
    return store
        .list(true, limit, Optional.empty())
        .map(ExtensionStore.Page::extensions)
        .map(
            all -> {
              Rules rules = rules();
              return all.stream()
                  .filter(l -> rules.maySee(caller.principal(), l.request()))
                  .map(
                      l ->
                          new WaitingExtension(
                              l.extension(),
                              l.request(),
                              mayDecide(caller, l.request(), l.extension())))
                  .toList();
            });
  }

  /** One request's extensions, oldest first, when the caller may see the request. */
  Future<List<Extension>> ofRequest(Caller caller, AccessRequest request) {
    if (!rules().maySee(caller.principal(), request)) {
      return Future.failedFuture(StintException.notFound("no request " + request.id()));
    }
    return store.ofRequest(request.id());
  }

  /**
   * Whether the caller could approve or deny this extension now: {@link Vote#refusal} would let
   * their approval be cast (it waits, they have not decided it, neither the request's requester nor
   * the extension's asker may be them, the policy counts them as an approver after any fresh
   * sign-in it needs). Pages use this to choose buttons; a decision asks again.
   */
  boolean mayDecide(Caller caller, AccessRequest request, Extension e) {
    return Vote.refusal(e.subject(), Action.APPROVE, caller.person(), rights(caller, request))
        .isEmpty();
  }

  /**
   * Whether {@code p}'s vote would count on {@code e} under the policy in force ({@link
   * Extension#couldBeApprovedBy}): as {@link #mayDecide}, for people who are not at hand to sign in
   * afresh, such as those an extension is sent to.
   */
  boolean couldApprove(Principal p, AccessRequest request, Extension e) {
    Rules rules = rules();
    return e.couldBeApprovedBy(p, request, rules.evaluator(), rules.at());
  }

  /** What the policy in force lets the caller do with this request (ask to extend it, ...). */
  RequestRights rights(Caller caller, AccessRequest request) {
    return rules()
        .rights(caller.principal(), request, request.requester(), facts.known(caller, request));
  }

  /** As {@link #rights(Caller, AccessRequest)}, about extension {@code e} and its asker. */
  RequestRights rights(Caller caller, AccessRequest request, Extension e) {
    return rules().rights(caller.principal(), request, e.requester(), facts.known(caller, request));
  }
}
