package dev.stint.access;

import dev.stint.access.AccessRequest.ApprovalStage;
import dev.stint.access.AccessRequest.Lifecycle;
import dev.stint.access.AccessRequest.Revision;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.Ids;
import dev.stint.common.ParameterValues;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.people.PeopleSeen;
import dev.stint.policy.Bundle;
import dev.stint.policy.Decision;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.FactValues;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import dev.stint.policy.Stage;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Requests for several profiles at once — listed, or named by the policy's {@code bundles} — with
 * one reason and one approval round: each profile gets its own request and, once approved, its own
 * grant (revocable on its own), all tied by a bundle id and recorded together. The approval is the
 * strictest: the highest count, and a vote counts only if it counts on every profile ({@link
 * BundleDecision}). A bundle no one stint has seen could approve is refused.
 */
final class BundleRequests implements Bundles {
  private final AccessStore store;
  private final AccessAudit audit;
  private final PolicyInForce policies;
  private final AccessSettings settings;
  private final Clock clock;
  private final FactLookups lookups;
  private final Consumer<List<RequestListener.Change>> committed;
  private final Approvers approvers;
  private final Ids ids = new Ids();

  BundleRequests(AccessCore core, Approvers approvers) {
    this.store = core.store();
    this.audit = core.audit();
    this.policies = core.policies();
    this.settings = core.settings();
    this.clock = core.clock();
    this.lookups = core.lookups();
    this.committed = core.feed();
    this.approvers = approvers;
  }

  /** {@code asked.profile()} is unused: the profiles are {@code listed}, or {@code name}'s. */
  @Override
  public Future<Made> create(
      Caller caller, List<String> listed, Optional<String> name, NewRequest asked) {
    Policy policy = policies.current();
    Instant now = Act.now(clock);
    List<Profile> profiles;
    try {
      profiles = profiles(policy, listed, name);
      if (asked.breakGlass()) {
        throw StintException.invalid("break-glass is for one profile at a time");
      }
    } catch (StintException e) {
      return refused(caller, String.join(",", name.map(List::of).orElse(listed)), e);
    }
    FactNeeds needs =
        profiles.stream().map(p -> p.requestNeeds(false)).reduce(FactNeeds.NONE, FactNeeds::and);
    FilingRules rules = new FilingRules(policy, now);
    boolean refusedWithoutFacts =
        profiles.stream()
            .anyMatch(
                p ->
                    p.requesters().needs().none()
                        && !rules
                            .mayRequest(caller.principal(), p, forProfile(asked, p))
                            .allowed());
    if (refusedWithoutFacts) {
      // Refused whatever the facts say: nothing is looked up (see RequestFiling.create).
      return decide(caller, policy, now, profiles, name, asked, FactValues.NONE);
    }
    return lookups
        .lookUpEach(
            needs,
            caller,
            profiles.stream().map(p -> FactContexts.asked(forProfile(asked, p))).toList())
        .compose(looked -> decide(caller, policy, now, profiles, name, asked, looked));
  }

  /** Each profile's checks and rules, with the facts {@code looked} up for all of them. */
  private Future<Made> decide(
      Caller caller,
      Policy policy,
      Instant now,
      List<Profile> profiles,
      Optional<String> name,
      NewRequest asked,
      FactValues looked) {
    FilingRules rules = new FilingRules(policy, now);
    Map<String, Narrowed> narrowed = new HashMap<>();
    for (Profile p : profiles) {
      NewRequest one = forProfile(asked, p);
      try {
        RequestChecks.validate(one, p, settings, now);
      } catch (StintException e) {
        return refused(caller, p.name(), e);
      }
      Decision may = rules.mayRequest(caller.principal(), p, one, looked);
      if (!may.allowed()) {
        return refused(caller, p.name(), may.refusal());
      }
      try {
        narrowed.put(
            p.name(),
            RequestParameters.checked(p, fixedValues(policy, name, p), caller.principal(), now));
      } catch (StintException e) {
        return refused(caller, p.name(), e);
      }
    }
    Optional<String> unlike = unlikeStages(profiles);
    if (unlike.isPresent()) {
      return refused(
          caller, String.join(",", names(profiles)), StintException.invalid(unlike.get()));
    }
    List<ApprovalStage> stages = strictest(caller, profiles, asked, rules, looked);
    boolean auto =
        Lifecycle.pending(stages).approvalsRequired() == 0
            || profiles.stream()
                .allMatch(
                    p -> rules.autoApproves(caller.principal(), p, forProfile(asked, p), looked));
    List<AccessRequest> drafts = drafts(caller, profiles, asked, narrowed, stages, now);
    // Who may vote on a profile whose approver rules read facts (who is on call then) is known
    // only when they vote: such a bundle is not refused for want of approvers among those seen.
    boolean byFacts = profiles.stream().anyMatch(p -> !p.voteNeeds().none());
    int firstStage =
        stages.stream()
            .filter(st -> !st.skipped())
            .mapToInt(ApprovalStage::count)
            .findFirst()
            .orElse(0);
    Future<Void> approvable =
        auto || byFacts
            ? Future.succeededFuture()
            : approvable(caller, profiles, drafts, firstStage);
    return approvable.compose(x -> insert(caller, name, profiles, drafts, auto, now, looked));
  }

  /**
   * Why these profiles cannot be requested together: a bundle is decided stage by stage as one
   * request, so its profiles must approve in the same stages, by name and in order. The policy
   * checks its named bundles when it loads; a bundle listed in the request is checked here.
   */
  private static Optional<String> unlikeStages(List<Profile> profiles) {
    List<List<String>> names =
        profiles.stream()
            .map(p -> p.approval().stages().stream().map(Stage::name).toList())
            .distinct()
            .toList();
    if (names.size() == 1) {
      return Optional.empty();
    }
    return Optional.of(
        "these profiles approve in different stages ("
            + String.join(
                "; ",
                profiles.stream()
                    .map(
                        p ->
                            p.name()
                                + ": "
                                + String.join(
                                    ", ", p.approval().stages().stream().map(Stage::name).toList()))
                    .toList())
            + "); request them separately");
  }

  /**
   * The stages every request of the bundle has: its profiles' stages (the policy makes them share
   * names and order), each needing the most approvals any profile asks, and skipped only when it is
   * skipped for every profile.
   */
  private static List<ApprovalStage> strictest(
      Caller caller,
      List<Profile> profiles,
      NewRequest asked,
      FilingRules rules,
      FactValues looked) {
    List<List<ApprovalStage>> each =
        profiles.stream()
            .map(p -> rules.stages(caller.principal(), p, forProfile(asked, p), looked))
            .toList();
    List<ApprovalStage> out = new ArrayList<>();
    for (int i = 0; i < each.get(0).size(); i++) {
      int at = i;
      String name = each.get(0).get(i).name();
      int count = each.stream().mapToInt(stages -> stages.get(at).count()).max().orElseThrow();
      boolean skipped = each.stream().allMatch(stages -> stages.get(at).skipped());
      out.add(new ApprovalStage(name, count, skipped));
    }
    return out;
  }

  /** One pending request per profile, all with the bundle's strictest stages. */
  private List<AccessRequest> drafts(
      Caller caller,
      List<Profile> profiles,
      NewRequest asked,
      Map<String, Narrowed> narrowed,
      List<ApprovalStage> stages,
      Instant now) {
    List<AccessRequest> drafts = new ArrayList<>();
    for (Profile p : profiles) {
      drafts.add(
          new AccessRequest(
              ids.request(),
              caller.person(),
              forProfile(asked, p).withNarrowed(narrowed.get(p.name())),
              Lifecycle.pending(stages),
              Revision.first(now)));
    }
    return drafts;
  }

  /**
   * A bundle nobody could approve whole is refused at once (a vote counts only if it counts on
   * every profile), rather than left to time out.
   */
  private Future<Void> approvable(
      Caller caller, List<Profile> profiles, List<AccessRequest> drafts, int count) {
    return approvers
        .ofAll(drafts)
        .compose(
            who ->
                who.size() >= count
                    ? Future.succeededFuture()
                    : refused(
                            caller,
                            String.join(",", names(profiles)),
                            StintException.forbidden(
                                "no one could approve this bundle: "
                                    + (who.isEmpty() ? "no one" : "only " + who.size())
                                    + " of the people stint has seen in the last "
                                    + PeopleSeen.SEEN_WITHIN.toDays()
                                    + " days satisfy the approver rules of all of "
                                    + String.join(", ", names(profiles))
                                    + " ("
                                    + count
                                    + " approvals needed); request them separately, or ask"
                                    + " approvers to sign in to stint once"))
                        .mapEmpty());
  }

  private Future<Made> insert(
      Caller caller,
      Optional<String> name,
      List<Profile> profiles,
      List<AccessRequest> drafts,
      boolean auto,
      Instant now,
      FactValues looked) {
    String bundleId = ids.bundle();
    List<AccessRequest> requests =
        drafts.stream().map(d -> RequestMachine.created(d, auto, ids.grant())).toList();
    List<String> events =
        auto ? List.of("request.created", "request.approved") : List.of("request.created");
    List<RequestListener.Change> changes = new ArrayList<>();
    requests.forEach(
        r ->
            events.forEach(
                type ->
                    changes.add(
                        new RequestListener.Change(
                            type, r, caller.person(), Optional.empty(), now))));
    BundleStore bundles = store.bundles();
    return store
        .bundleWrites()
        .insertAll(
            requests,
            FactLookups.matchable(caller).email().isPresent(),
            conn -> bundles.tie(conn, bundleId, name, requests),
            rs -> {
              Future<Void> chain = audit.bundled(caller, bundleId, name, rs);
              for (int i = 0; i < rs.size(); i++) {
                AccessRequest r = rs.get(i);
                Profile p = profiles.get(i);
                chain = chain.compose(x -> audit.created(caller, r, p, events, looked));
              }
              return chain;
            },
            changes)
        .recover(
            e ->
                e instanceof StintException held && held.code() == ErrorCode.FORBIDDEN
                    ? refused(caller, String.join(",", names(profiles)), held)
                    : Future.failedFuture(e))
        .map(
            rs -> {
              committed.accept(changes);
              return new Made(bundleId, name, rs);
            });
  }

  @Override
  public Future<Optional<Ref>> of(String requestId) {
    return store.bundles().of(requestId);
  }

  @Override
  public Future<Map<String, Ref>> ofRequests(Collection<String> requestIds) {
    return store.bundles().ofRequests(requestIds);
  }

  private static List<Profile> profiles(Policy policy, List<String> listed, Optional<String> name) {
    List<String> wanted = listed;
    if (name.isPresent()) {
      wanted =
          policy
              .bundle(name.get())
              .map(Bundle::profiles)
              .orElseThrow(() -> StintException.notFound("unknown bundle '" + name.get() + "'"));
    }
    if (wanted.size() < 2 || wanted.size() > Bundle.MAX_PROFILES) {
      throw StintException.invalid("a bundle holds 2 to " + Bundle.MAX_PROFILES + " profiles");
    }
    if (new HashSet<>(wanted).size() != wanted.size()) {
      throw StintException.invalid("a profile is listed twice");
    }
    List<Profile> out = new ArrayList<>();
    for (String p : wanted) {
      out.add(
          policy
              .profile(p)
              .orElseThrow(() -> StintException.notFound("unknown profile '" + p + "'")));
    }
    return out;
  }

  /**
   * The values a named bundle fixes for {@code p}; none for a bundle listed in the request, whose
   * narrowed profiles are then refused for want of values.
   */
  private static ParameterValues fixedValues(Policy policy, Optional<String> name, Profile p) {
    return name.flatMap(policy::bundle)
        .map(b -> b.parametersOf(p.name()))
        .orElse(ParameterValues.NONE);
  }

  private static NewRequest forProfile(NewRequest asked, Profile p) {
    return new NewRequest(
        p.name(), asked.duration(), asked.reason(), asked.ticket(), asked.startsAt(), false);
  }

  private static List<String> names(List<Profile> profiles) {
    return profiles.stream().map(Profile::name).toList();
  }

  private <T> Future<T> refused(Caller caller, String profile, StintException e) {
    return audit
        .refused(caller, "request.create", profile, Optional.empty(), e)
        .compose(x -> Future.failedFuture(e));
  }
}
