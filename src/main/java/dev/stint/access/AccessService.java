package dev.stint.access;

import dev.stint.access.AccessRequest.Lifecycle;
import dev.stint.access.AccessRequest.Revision;
import dev.stint.common.Ids;
import dev.stint.error.ErrorCode;
import dev.stint.error.RetryLater;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.ledger.Ledger;
import dev.stint.policy.Escalation;
import dev.stint.policy.FactContext;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.FactValues;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.Profile;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests use cases: create, decide, list, sweep. Policy answers who may do what; the state
 * machine decides what happens; the store makes it durable together with its audit event; listeners
 * hear about it after the commit.
 */
public final class AccessService implements Grants {
  private static final Logger LOG = LoggerFactory.getLogger(AccessService.class);
  private final AccessStore store;
  private final PolicyStore policies;
  private final AccessAudit audit;
  private final AccessSettings settings;
  private final Clock clock;
  private final FactSource facts;
  private final KnownFacts known = new KnownFacts();
  private final RoutingSweep routing;
  private final BundleStore bundles;
  private final Ids ids = new Ids();
  private final List<RequestListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Runnable afterCommit = () -> {};
  private volatile RevocationPace pace = RevocationPace.NONE;
  private final RevokeTurns revokeTurns = new RevokeTurns();
  private final GroupDecision decision;

  public AccessService(
      AccessStore store,
      PolicyStore policies,
      AccessAudit audit,
      AccessSettings settings,
      Clock clock) {
    this(store, policies, audit, settings, clock, FactSource.NONE);
  }

  /** With {@code facts}, where the facts the policy reads are looked up. */
  public AccessService(
      AccessStore store,
      PolicyStore policies,
      AccessAudit audit,
      AccessSettings settings,
      Clock clock,
      FactSource facts) {
    this.facts = facts;
    this.store = store;
    this.policies = policies;
    this.audit = audit;
    this.settings = settings;
    this.clock = clock;
    this.routing = new RoutingSweep(store.routing(), policies, audit);
    this.bundles = store.bundles();
    this.decision = new GroupDecision(store, audit, this::committed);
  }

  /** Postgres keeps microseconds; deciding on the same precision keeps answers and rows equal. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Adds a listener told of every committed change (notifications, cloud-side revocation). */
  public void listen(RequestListener listener) {
    listeners.add(listener);
  }

  /** Creates a request; auto-approval and break-glass approve it at once. */
  public Future<AccessRequest> create(Caller caller, NewRequest asked) {
    Policy policy = policies.current();
    if (refusedWithoutFacts(policy, caller, asked)) {
      // Nothing is looked up for a caller the requesters rule refuses anyway: a lookup per
      // refused request would let anyone with a token spend the providers' rate limits.
      return create(caller, asked, policy, false, FactValues.NONE);
    }
    return looked(policy, caller, asked)
        .compose(looked -> create(caller, asked, policy, false, looked));
  }

  private boolean refusedWithoutFacts(Policy policy, Caller caller, NewRequest asked) {
    Optional<Profile> profile = policy.profile(asked.profile());
    return profile.isEmpty()
        || (profile.get().requesters().needs().none()
            && new AccessRules(policy, now())
                .whyNotRequester(caller.principal(), profile.get(), asked)
                .isPresent());
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

  private Future<FactValues> gatherAbout(
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
        .onSuccess(looked -> known.remember(about, request, looked, now()));
  }

  /**
   * For the issuance pipeline, on its own policy snapshot: creates a request only if the profile's
   * {@code auto_approve} approves it, and then approved. Otherwise nothing is created and the
   * caller is told to request access ({@code approval_required}). The policy is asked once, here;
   * the requester checks apply as for any request.
   */
  @Override
  public Future<AccessRequest> createAutoApproved(Caller caller, NewRequest asked, Policy policy) {
    Optional<Profile> profile = policy.profile(asked.profile());
    if (asked.breakGlass() || profile.isEmpty()) {
      return Future.failedFuture(approvalRequired(asked));
    }
    return looked(policy, caller, asked)
        .compose(
            looked ->
                approvedAtOnce(new AccessRules(policy, now()), caller, profile.get(), asked, looked)
                    ? create(caller, asked, policy, true, looked)
                    : Future.failedFuture(approvalRequired(asked)));
  }

  /** Approved when filed: the profile auto-approves it, or its every stage is skipped. */
  private static boolean approvedAtOnce(
      AccessRules rules, Caller caller, Profile profile, NewRequest asked, FactValues looked) {
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
    Instant now = now();
    Profile profile;
    try {
      profile =
          policy
              .profile(asked.profile())
              .orElseThrow(
                  () -> StintException.notFound("unknown profile '" + asked.profile() + "'"));
      RequestChecks.validate(asked, profile, settings, now);
    } catch (StintException e) {
      return audit
          .refused(caller, "request.create", asked.profile(), Optional.empty(), e, looked)
          .compose(x -> Future.failedFuture(e));
    }
    AccessRules rules = new AccessRules(policy, now);
    Optional<String> denied = rules.whyNotRequester(caller.principal(), profile, asked, looked);
    if (denied.isPresent()) {
      StintException e = StintException.forbidden(denied.get());
      return audit
          .refused(caller, "request.create", asked.profile(), Optional.empty(), e, looked)
          .compose(x -> Future.failedFuture(e));
    }
    boolean auto =
        !asked.breakGlass()
            && (autoApproved || rules.autoApproves(caller.principal(), profile, asked, looked));
    return insert(caller, profile, asked, auto, rules, Optional.empty(), looked);
  }

  /**
   * A request made by a CI job under a CI rule that needs a human approval. The CI rule has already
   * matched the token, so the profile's requesters condition does not apply; approval works as for
   * any other request.
   */
  @Override
  public Future<AccessRequest> createForCi(
      Caller caller, Profile profile, NewRequest asked, String ciRule) {
    AccessRules rules = new AccessRules(policies.current(), now());
    return insert(caller, profile, asked, false, rules, Optional.of(ciRule), FactValues.NONE);
  }

  @Override
  public Future<Optional<AccessRequest>> pendingUnderCiRule(
      Caller caller, String profile, String ciRule) {
    return store.pendingUnderCiRule(caller.person(), profile, ciRule);
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
      AccessRules rules,
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
            matchable(caller).email().isPresent(),
            r -> audit.created(caller, r, profile, events, looked),
            changes)
        .onSuccess(r -> committed(changes));
  }

  /**
   * Approve, deny, cancel, revoke or review one request, under its row lock. A revoke, from any
   * route (the API, the pages, Slack), waits for the caller's earlier revokes here and is paced
   * when it ends the caller's own grant ({@link #paced}).
   */
  public Future<AccessRequest> decide(
      Caller caller, String id, Action action, Optional<String> comment) {
    if (action != Action.REVOKE) {
      return decide(caller, id, action, comment, policies.current());
    }
    return revokeTurns.inTurn(
        caller.person(),
        () ->
            paced(caller, id)
                .compose(x -> decide(caller, id, Action.REVOKE, comment, policies.current())));
  }

  /** A revoked grant's request, and what the revoke ends and cannot end for its cloud. */
  public record Revoked(AccessRequest request, RevocationReach reach) {}

  /**
   * Revokes, as {@link #decide} does, and answers what the revoke reaches, read from the ledger
   * after the commit: every credential handed out on the grant is there by then (an issuance
   * records its credential before it checks the grant again, and withholds it if revoked). If the
   * read fails, the revoke stands and the answer says nothing is known to be valid.
   */
  public Future<Revoked> revoke(Caller caller, String id, Optional<String> comment) {
    return decide(caller, id, Action.REVOKE, comment)
        .compose(
            r -> {
              Grant grant = r.grant().orElseThrow();
              return reach(grant, now()).map(reach -> new Revoked(r, reach));
            });
  }

  /** Slows a person's revocations of their own grants as {@code pace} says (the server's). */
  public void pace(RevocationPace pace) {
    this.pace = pace;
  }

  /**
   * Fails with {@link RetryLater} when the caller revokes their own active grant and {@link
   * RevocationPace} says it must wait: recorded as {@code request.revoke_paced}, not as a refusal.
   * Anyone else's revoke, and one of a grant not active, goes on to be decided as ever. Own means
   * the same (issuer, subject), never a shared email: pacing takes a right away for a while, and an
   * email from any issuer must not let someone slow an approver's revoke of their grant.
   */
  private Future<Void> paced(Caller caller, String id) {
    Instant now = now();
    return store
        .find(id)
        .compose(
            found -> {
              Optional<Grant> own =
                  found
                      .filter(r -> r.state() == RequestState.APPROVED)
                      .flatMap(AccessRequest::grant)
                      .filter(g -> g.revocation().isEmpty())
                      .filter(g -> caller.person().is(g.holder()));
              if (own.isEmpty()) {
                return Future.succeededFuture();
              }
              return pace.of(own.get(), now)
                  .compose(
                      paced ->
                          paced.isEmpty()
                              ? Future.<Void>succeededFuture()
                              : audit
                                  .paced(caller, found.get(), paced.get())
                                  .compose(
                                      y ->
                                          Future.failedFuture(
                                              new RetryLater(
                                                  ErrorCode.REVOCATIONS_PACED,
                                                  paced.get().why(),
                                                  paced.get().retryAfter()))));
            });
  }

  /**
   * What revoking {@code grant} at {@code now} reaches, from the credentials ledger; {@code
   * unknown} when it cannot be read (the revoke stands, and its revocation reads it again).
   */
  public Future<RevocationReach> reach(Grant grant, Instant now) {
    Ledger ledger = store.ledger();
    Future<List<Ledger.Reach>> live = ledger.reach(grant.id(), now);
    Future<Optional<Instant>> latest = ledger.latestExpiry(grant.id());
    return Future.all(live, latest)
        .map(x -> new RevocationReach(live.result(), grant.endsAt(), latest.result()))
        .recover(
            e -> {
              LOG.warn(
                  "reading the credentials of grant {} from the ledger failed: {}",
                  grant.id(),
                  e.toString());
              return Future.succeededFuture(RevocationReach.unknown(grant.endsAt()));
            });
  }

  /** Notes recorded on grants' requests without changing them (sessions a revocation cut). */
  public GrantNotes notes() {
    return new GrantNotes(store, audit, this::now, this::committed);
  }

  /** Which requests were made together. */
  public BundleStore bundles() {
    return bundles;
  }

  /**
   * The requests decided together with {@code r}: its bundle's, in order, or {@code r} alone. For
   * the notifiers, which act for no caller.
   */
  public Future<List<AccessRequest>> decidedWith(AccessRequest r) {
    return bundles
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
   * One decision on one policy snapshot. An approve, deny or cancel of a bundled request (or of the
   * bundle's id) is one for the whole bundle; anything else applies to the request alone, a group
   * of one. A revoke's event records what its grant reached as read just before the row lock.
   */
  private Future<AccessRequest> decide(
      Caller caller, String id, Action action, Optional<String> comment, Policy policy) {
    Act act = new Act(caller.person(), now(), comment);
    Future<GroupDecision.Group> group =
        action == Action.REVOKE || action == Action.REVIEW
            ? Future.succeededFuture(GroupDecision.Group.of(id))
            : bundles
                .of(id)
                .map(
                    b ->
                        b.map(GroupDecision.Group::of).orElseGet(() -> GroupDecision.Group.of(id)));
    Future<FactValues> looked =
        group.compose(g -> votersFacts(caller, action, g.requestIds(), policy));
    return Future.all(group, reachBefore(action, id, act.at()), looked)
        .compose(
            x ->
                decision.decide(
                    new GroupDecision.Asked(
                        caller,
                        group.result(),
                        id,
                        action,
                        act,
                        policy,
                        x.<Optional<GroupDecision.Reached>>resultAt(1),
                        looked.result())));
  }

  /**
   * For a vote, the facts the approver rules of its requests read about the voter (and the
   * requests' ticket), looked up before the row locks; none for anything else, or when no rule
   * reads a fact.
   */
  private Future<FactValues> votersFacts(
      Caller caller, Action action, List<String> ids, Policy policy) {
    boolean vote = action == Action.APPROVE || action == Action.DENY;
    if (!vote || policy.profiles().values().stream().allMatch(p -> p.voteNeeds().none())) {
      return Future.succeededFuture(FactValues.NONE);
    }
    List<Future<Optional<AccessRequest>>> each = ids.stream().map(store::find).toList();
    return Future.all(each)
        .compose(
            x -> {
              List<AccessRequest> found =
                  each.stream().map(Future::result).flatMap(Optional::stream).toList();
              FactNeeds needs =
                  found.stream()
                      .map(r -> policy.profile(r.profile()).map(Profile::voteNeeds))
                      .flatMap(Optional::stream)
                      .reduce(FactNeeds.NONE, FactNeeds::and);
              return votersFacts(needs, caller, found);
            });
  }

  /**
   * The facts of one vote on {@code found} (a bundle's requests, or one): looked up about the
   * request with the first ticket, as {@link #lookUpEach} does.
   */
  private Future<FactValues> votersFacts(
      FactNeeds needs, Caller caller, List<AccessRequest> found) {
    return lookUpEach(
        needs,
        caller,
        found.stream()
            .sorted(Comparator.comparing((AccessRequest r) -> r.ticket().isEmpty()))
            .map(FactContexts::asked)
            .toList());
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

  /**
   * For a revoke, what its grant reaches, read just before the request's row lock is taken: inside
   * it, the read would hold a second pooled connection while the first holds the lock, and
   * concurrent decisions could then wait on each other for connections.
   */
  private Future<Optional<GroupDecision.Reached>> reachBefore(
      Action action, String id, Instant at) {
    if (action != Action.REVOKE) {
      return Future.succeededFuture(Optional.empty());
    }
    return store
        .find(id)
        .compose(
            found ->
                found
                    .flatMap(AccessRequest::grant)
                    .map(
                        g ->
                            reach(g, at)
                                .map(r -> Optional.of(new GroupDecision.Reached(g.id(), r))))
                    .orElseGet(() -> Future.succeededFuture(Optional.empty())));
  }

  /** The facts of votes decided elsewhere (extensions), as this service's own votes have them. */
  public VoterFacts voterFacts() {
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
                        : AccessService.this.lookUp(
                            policy
                                .profile(found.get().profile())
                                .map(Profile::voteNeeds)
                                .orElse(FactNeeds.NONE),
                            caller,
                            Optional.of(FactContexts.asked(found.get()))));
      }

      @Override
      public FactValues known(Caller caller, AccessRequest request) {
        return AccessService.this.known.of(caller.person(), request, now());
      }
    };
  }

  /**
   * What the policy in force lets the caller do with this request: see, approve, deny, cancel,
   * revoke, review, extend. For choosing buttons; {@link #decide} asks again under the row lock.
   */
  public RequestRights rights(Caller caller, AccessRequest r) {
    Instant now = now();
    return new AccessRules(policies.current(), now)
        .rights(caller.principal(), r, known.of(caller.person(), r, now));
  }

  /**
   * The escalation the policy in force applies to request {@code r} now: empty until it has waited
   * its profile's {@code escalate_after}, or when the profile does not escalate.
   */
  public Optional<Escalation> escalated(AccessRequest r) {
    return new AccessRules(policies.current(), now()).escalated(r);
  }

  @Override
  public Future<AccessRequest> get(Caller caller, String id) {
    Policy policy = policies.current();
    AccessRules rules = new AccessRules(policy, now());
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
    return lookUp(needs, caller, Optional.of(FactContexts.asked(r)))
        .map(
            looked ->
                Optional.of(r)
                    .filter(x -> rules.rights(caller.principal(), x, looked).maySee().allowed()));
  }

  /**
   * When request {@code id}'s grant ends, or ended: its revocation when revoked, else its end;
   * empty when it has no grant. For stint's own use (activity), not a caller's.
   */
  public Future<Optional<Instant>> grantEnd(String id) {
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

  @Override
  public Future<Optional<String>> ciRuleOf(String id) {
    return store.ciRuleOf(id);
  }

  /**
   * The requests the caller may see (their own, those they may decide, all for auditors), and where
   * the next page starts: after the last row read, seen or not.
   */
  public Future<RequestPage> page(Caller caller, RequestFilter filter) {
    Policy policy = policies.current();
    Instant now = now();
    AccessRules rules = new AccessRules(policy, now);
    // Whoever is on call sees what they may approve; a ticket's facts are those known lately.
    FactNeeds schedules =
        new FactNeeds(
            policy.profiles().values().stream()
                .flatMap(p -> p.voteNeeds().schedules().stream())
                .collect(Collectors.toSet()),
            false);
    return Future.all(store.page(filter), lookUp(schedules, caller, Optional.empty()))
        .map(
            x -> {
              RequestPage all = x.resultAt(0);
              return new RequestPage(
                  all.requests().stream()
                      .filter(
                          r ->
                              rules
                                  .rights(caller.principal(), r, known.of(caller.person(), r, now))
                                  .maySee()
                                  .allowed())
                      .toList(),
                  all.next());
            });
  }

  @Override
  public Future<Optional<Grant>> activeGrant(Caller caller, String profile) {
    return store.longestActiveGrant(caller.person(), profile, now(), Optional.empty());
  }

  @Override
  public Future<Optional<Grant>> activeGrantUnderCiRule(
      Caller caller, String profile, String ciRule) {
    return store.longestActiveGrant(caller.person(), profile, now(), Optional.of(ciRule));
  }

  @Override
  public Future<Boolean> grantRevoked(String grantId) {
    return store.grantRevoked(grantId);
  }

  /**
   * Times out stale pending requests, expires ended grants, reminds holders, records escalations
   * and reminds approvers, one row per transaction, each taken by exactly one replica. Answers how
   * many requests changed or were marked.
   */
  public Future<Integer> sweep() {
    return new RequestSweep(store, audit, settings, routing, this::now, this::committed).run();
  }

  /**
   * One round of {@code end_when}: each live grant of a profile that has one, not checked within
   * {@code recheck}, is checked by this replica alone and revoked by stint when it holds. Answers
   * how many grants it ended.
   */
  public Future<Integer> recheckEnds(Duration recheck) {
    return new EndWhenSweep(
            store,
            audit,
            policies.current(),
            this::now,
            (r, profile) ->
                store
                    .factSubject(r)
                    .compose(
                        holder ->
                            gatherAbout(
                                profile.endNeeds(),
                                holder,
                                Optional.empty(),
                                Optional.of(FactContexts.asked(r)))),
            this::committed)
        .run(recheck);
  }

  /** Ending what a person the directory deprovisioned holds, in the directory's transaction. */
  public Leavers leavers() {
    return new Leavers(store, audit, this::now, this::committed);
  }

  /**
   * After the commit: the outbox rows written with the changes are delivered now (the worker is
   * poked), and in-process listeners hear of them.
   */
  void committed(List<RequestListener.Change> changes) {
    afterCommit.run();
    changes.forEach(change -> listeners.forEach(l -> l.changed(change)));
  }

  /** What to run once changes have committed: the outbox worker's poke, in the server. */
  public void afterCommit(Runnable run) {
    afterCommit = run;
  }
}
