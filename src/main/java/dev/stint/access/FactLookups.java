package dev.stint.access;

import dev.stint.facts.FactSource;
import dev.stint.identity.Person;
import dev.stint.people.PeopleSeen;
import dev.stint.policy.FactContext;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.FactValues;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the facts a decision reads are looked up ({@link FactSource}), and what was found lately
 * kept for what is only shown ({@link KnownFacts}). Every use case that decides on facts asks here,
 * so a fact is looked up and recorded the same way whoever decides.
 */
final class FactLookups {
  private final FactSource facts;
  private final KnownFacts known = new KnownFacts();
  private final Clock clock;

  FactLookups(FactSource facts, Clock clock) {
    this.facts = facts;
    this.clock = clock;
  }

  /**
   * The facts deciding {@code asked} reads (who may request its profile, whether it is approved at
   * once), looked up before anything is decided: none when the profile's rules read none.
   */
  Future<FactValues> looked(Policy policy, Caller caller, NewRequest asked) {
    FactNeeds needs =
        policy
            .profile(asked.profile())
            .map(p -> p.requestNeeds(asked.breakGlass()))
            .orElse(FactNeeds.NONE);
    return lookUp(needs, caller, Optional.of(FactContexts.asked(asked)));
  }

  /**
   * The facts {@code needs} names, about the caller and {@code request}; none asked, none looked.
   */
  Future<FactValues> lookUp(FactNeeds needs, Caller caller, Optional<FactContext.Asked> request) {
    return gatherAbout(needs, matchable(caller), Optional.of(caller.principal().groups()), request);
  }

  /**
   * The caller as the on-call fact may match them: with their email only when their identity
   * provider says it verified it ({@code email_verified}). A token's email is otherwise whatever
   * the token says, and on-call grants what an email alone must never grant (docs/policies.md).
   */
  static Person matchable(Caller caller) {
    Person p = caller.person();
    // The address as the token has it: folding its case here would turn letters of other scripts
    // into ASCII before the gatherer refuses them.
    boolean verified = PeopleSeen.emailVerified(caller.principal());
    return verified ? p : new Person(p.issuer(), p.subject(), Optional.empty());
  }

  /** The facts {@code needs} names about {@code about}, in the groups given, and the request. */
  Future<FactValues> gatherAbout(
      FactNeeds needs,
      Person about,
      Optional<List<String>> groups,
      Optional<FactContext.Asked> request) {
    if (needs.none()) {
      return Future.succeededFuture(FactValues.NONE);
    }
    return facts
        .gather(needs, FactContexts.of(about, groups, request))
        // The port answers every failure as a fact with its error; one that fails anyway still
        // fails closed, and is recorded so.
        .recover(
            e ->
                Future.succeededFuture(
                    FactValues.unavailable(needs, String.valueOf(e.getMessage()))))
        .onSuccess(looked -> known.remember(about, request, looked, Act.now(clock)));
  }

  /**
   * The facts {@code needs} names for one decision on {@code requests} together (a bundle): about
   * the first of them (its ticket is the ticket read). The providers' answers are about one request
   * each, so they are asked about every request, and a fact holds only if it holds for them all.
   */
  Future<FactValues> lookUpEach(FactNeeds needs, Caller caller, List<FactContext.Asked> requests) {
    if (requests.isEmpty()) {
      return lookUp(needs, caller, Optional.empty());
    }
    Future<FactValues> first = lookUp(needs, caller, Optional.of(requests.get(0)));
    if (needs.facts().isEmpty() || requests.size() == 1) {
      return first;
    }
    FactNeeds asked = new FactNeeds(Set.of(), false, needs.facts());
    List<Future<FactValues>> each = new ArrayList<>(List.of(first));
    requests.stream().skip(1).forEach(r -> each.add(lookUp(asked, caller, Optional.of(r))));
    return Future.all(each)
        .map(
            x ->
                each.stream()
                    .map(Future::result)
                    .reduce(FactValues::answeredForEach)
                    .orElse(FactValues.NONE));
  }

  /** What is known lately about the caller and {@code r}, without a lookup: for what is shown. */
  FactValues known(Caller caller, AccessRequest r) {
    return known.of(caller.person(), r, Act.now(clock));
  }

  /** The facts of votes decided elsewhere (extensions), as the requests' own votes have them. */
  VoterFacts voterFacts(AccessStore store, PolicyInForce policies) {
    return new VoterFacts() {
      @Override
      public Future<FactValues> lookUp(Caller caller, String requestId) {
        Policy policy = policies.current();
        return store
            .find(requestId)
            .compose(
                found ->
                    found.isEmpty()
                        ? Future.succeededFuture(FactValues.NONE)
                        : FactLookups.this.lookUp(
                            policy
                                .profile(found.get().profile())
                                .map(Profile::voteNeeds)
                                .orElse(FactNeeds.NONE),
                            caller,
                            Optional.of(FactContexts.asked(found.get()))));
      }

      @Override
      public FactValues known(Caller caller, AccessRequest request) {
        return FactLookups.this.known(caller, request);
      }
    };
  }
}
