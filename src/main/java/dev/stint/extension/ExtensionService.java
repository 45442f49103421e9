package dev.stint.extension;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRules;
import dev.stint.access.Act;
import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.NewRequest;
import dev.stint.access.RequestListener;
import dev.stint.access.VoterFacts;
import dev.stint.audit.AuditLog;
import dev.stint.common.Durations;
import dev.stint.common.Ids;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.policy.Decision;
import dev.stint.policy.ExtensionRule;
import dev.stint.policy.FactValues;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.Profile;
import dev.stint.policy.ReasonRule;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The extension use cases: ask (holder only), approve / deny / cancel, and the sweep that expires
 * extensions whose grant was revoked or ended. Policy answers who may approve and whether the
 * profile auto-approves; {@link ExtensionMachine} decides; {@link ExtensionStore} makes it durable
 * with its audit event; listeners hear about it after the commit.
 */
public final class ExtensionService {
  private static final int SWEEP_BATCH = 50;
  private final ExtensionStore store;
  private final PolicyStore policies;
  private final ExtensionAudit audit;
  private final Clock clock;
  private final VoterFacts facts;
  private final Ids ids = new Ids();
  private final List<RequestListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Runnable afterCommit = () -> {};

  public ExtensionService(ExtensionStore store, PolicyStore policies, AuditLog audit, Clock clock) {
    this(store, policies, audit, clock, VoterFacts.NONE);
  }

  /** With {@code facts}, what the approver rules read about a voter (docs/policies.md, Facts). */
  public ExtensionService(
      ExtensionStore store, PolicyStore policies, AuditLog audit, Clock clock, VoterFacts facts) {
    this.store = store;
    this.policies = policies;
    this.audit = new ExtensionAudit(audit);
    this.clock = clock;
    this.facts = facts;
  }

  /** An extension and the end of its grant after the change. */
  public record Extended(Extension extension, Optional<Instant> grantEndsAt) {}

  public void listen(RequestListener listener) {
    listeners.add(listener);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** The holder of the request's grant asks for {@code by} more. */
  public Future<Extended> extend(Caller caller, String requestId, Duration by, String reason) {
    Instant now = now();
    Policy policy = policies.current();
    return store
        .update(
            requestId,
            locked -> {
              AccessRequest original = locked.request();
              AccessRules rules = new AccessRules(policy, now);
              RequestRights may = rules.rights(caller.principal(), original);
              if (!may.maySee().allowed()) {
                return Future.failedFuture(StintException.notFound("no request " + requestId));
              }
              Optional<ExtensionMachine.Refused> refused =
                  openedByCiRule(locked).or(() -> refusal(may.mayExtend()));
              if (refused.isPresent()) {
                return audit
                    .acted(caller, "extend", original, refused.get())
                    .map(x -> (ExtensionMachine.Result) refused.get());
              }
              ExtensionMachine.ExtensionAsk ask = ask(caller, locked, policy, by, reason, now);
              ExtensionMachine.Result result = ExtensionMachine.ask(ask, ids.extension(), now);
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
              return recorded
                  .compose(x -> audit.acted(caller, "extend", original, result))
                  .map(result);
            },
            (locked, c) -> changes(c, locked.request(), caller.person(), now))
        .recover(e -> unseen(caller, "extend", Optional.of(requestId), Optional.empty(), e))
        .compose(result -> answer(result, requestId, caller.person(), "extend"));
  }

  /**
   * What the holder asks for, with what the policy in force says of it: the profile's extension
   * rule, its approval count, and whether it approves this one at once.
   */
  private ExtensionMachine.ExtensionAsk ask(
      Caller caller,
      ExtensionStore.Locked locked,
      Policy policy,
      Duration by,
      String reason,
      Instant now) {
    AccessRequest original = locked.request();
    Optional<Profile> profile = policy.profile(original.profile());
    Optional<ExtensionRule> rule = profile.flatMap(Profile::extension);
    boolean auto =
        profile.isPresent()
            && rule.isPresent()
            && (rule.get().approval() == ExtensionRule.Approval.AUTO
                || new AccessRules(policy, now)
                    .autoApproves(
                        caller.principal(),
                        profile.get(),
                        new NewRequest(
                            original.profile(),
                            by,
                            reason,
                            Optional.empty(),
                            Optional.empty(),
                            false)));
    return new ExtensionMachine.ExtensionAsk(
        original,
        caller.person(),
        by,
        reason,
        rule,
        locked.pending(),
        profile.map(p -> p.approval().last().count()).orElse(1),
        auto,
        profile.map(Profile::reason).orElse(ReasonRule.NONE));
  }

  /**
   * A grant a CI rule opened is not extended. Its length is the rule's {@code max_duration}, and it
   * is used only by tokens that pass the rule again; people's extension path checks neither, so
   * through it a token of an issuer serving people and CI alike, with the job's subject but not the
   * rule's claims, could lengthen the grant. A job that needs longer exchanges again.
   */
  private static Optional<ExtensionMachine.Refused> openedByCiRule(ExtensionStore.Locked locked) {
    return locked
        .ciRule()
        .map(
            name ->
                new ExtensionMachine.Refused(
                    ErrorCode.FORBIDDEN,
                    "this grant was opened by CI rule '"
                        + name
                        + "' and lasts as long as the rule allows;"
                        + " it is not extended (the job exchanges again)"));
  }

  /** The policy's no, as the machine's refusal; none when it says yes. */
  private static Optional<ExtensionMachine.Refused> refusal(Decision d) {
    return d.allowed()
        ? Optional.empty()
        : Optional.of(new ExtensionMachine.Refused(ErrorCode.FORBIDDEN, d.reason()));
  }

  /**
   * Approve, deny or cancel a pending extension, under its request's lock. The policy answers
   * whether the caller may approve or deny; cancelling is the asker's alone, a rule no policy
   * changes that the machine keeps ({@link RequestRights#mayCancel} says the same to pages).
   */
  public Future<Extended> decide(
      Caller caller, String extensionId, Action action, Optional<String> comment) {
    Act act = new Act(caller.person(), now(), comment);
    Policy policy = policies.current();
    return store
        .requestOf(extensionId)
        .compose(
            requestId ->
                requestId.isEmpty()
                    ? Future.failedFuture(StintException.notFound("no extension " + extensionId))
                    : facts
                        .lookUp(caller, requestId.get())
                        .compose(
                            looked ->
                                decideLocked(
                                    caller,
                                    extensionId,
                                    action,
                                    act,
                                    policy,
                                    requestId.get(),
                                    looked)))
        .recover(e -> unseen(caller, action.code(), Optional.empty(), Optional.of(extensionId), e));
  }

  /** {@link #decide} under the request's row lock, with the facts {@code looked} up before it. */
  private Future<Extended> decideLocked(
      Caller caller,
      String extensionId,
      Action action,
      Act act,
      Policy policy,
      String requestId,
      FactValues looked) {
    return store
        .update(
            requestId,
            locked -> {
              AccessRequest original = locked.request();
              RequestRights may =
                  new AccessRules(policy, act.at()).rights(caller.principal(), original, looked);
              Optional<Extension> e = locked.find(extensionId);
              if (e.isEmpty() || !may.maySee().allowed()) {
                return Future.failedFuture(StintException.notFound("no extension " + extensionId));
              }
              boolean approver = may.mayApprove().allowed();
              Optional<ExtensionMachine.Refused> underCiRule = openedByCiRule(locked);
              ExtensionMachine.Result result =
                  switch (action) {
                    case APPROVE ->
                        underCiRule.isPresent()
                            ? underCiRule.get()
                            : ExtensionMachine.approve(
                                e.get(),
                                original,
                                act,
                                approver,
                                policy.profile(original.profile()).flatMap(Profile::extension));
                    case DENY -> ExtensionMachine.deny(e.get(), act, approver);
                    case CANCEL -> ExtensionMachine.cancel(e.get(), act);
                    default ->
                        new ExtensionMachine.Refused(
                            ErrorCode.INVALID_REQUEST,
                            "an extension can be approved, denied or cancelled");
                  };
              return audit.acted(caller, action.code(), original, result).map(result);
            },
            (locked, c) -> changes(c, locked.request(), caller.person(), act.at()))
        .compose(result -> answer(result, requestId, caller.person(), action.code()));
  }

  /** A refusal for what does not exist or may not be seen is audited, then answered as it was. */
  private <T> Future<T> unseen(
      Caller caller,
      String action,
      Optional<String> requestId,
      Optional<String> extensionId,
      Throwable e) {
    if (e instanceof StintException refusal && refusal.code() == ErrorCode.NOT_FOUND) {
      return audit
          .unseen(caller, action, requestId, extensionId, refusal)
          .compose(x -> Future.failedFuture(refusal));
    }
    return Future.failedFuture(e);
  }

  /**
   * The extensions the caller may see (those of requests they may see: their own, those they may
   * approve, all for admins and auditors), newest first, with each grant's current end.
   */
  public Future<ExtendedPage> list(
      Caller caller, boolean pendingOnly, int limit, Optional<ExtensionCursor> after) {
    AccessRules rules = new AccessRules(policies.current(), now());
    return store
        .list(pendingOnly, limit, after)
        .map(
            page ->
                new ExtendedPage(
                    page.extensions().stream()
                        .filter(l -> rules.maySee(caller.principal(), l.request()))
                        .map(
                            l ->
                                new Extended(
                                    l.extensions().get(0), l.request().grant().map(Grant::endsAt)))
                        .toList(),
                    page.next()));
  }

  /**
   * A page of what the caller may see. It can hold fewer than the page's size, even none, while
   * more remain: the cursor follows every extension read, not only the ones shown.
   */
  public record ExtendedPage(List<Extended> extensions, Optional<ExtensionCursor> next) {}

  /** A pending extension with its request, and whether the caller could decide it now. */
  public record Waiting(Extension extension, AccessRequest request, boolean mayDecide) {}

  /** Pending extensions of requests the caller may see, newest first: an approver's queue. */
  public Future<List<Waiting>> waiting(Caller caller, int limit) {
    return store
        .list(true, limit, Optional.empty())
        .map(ExtensionStore.Page::extensions)
        .map(
            all -> {
              AccessRules rules = new AccessRules(policies.current(), now());
              return all.stream()
                  .filter(l -> rules.maySee(caller.principal(), l.request()))
                  .map(
                      l ->
                          new Waiting(
                              l.extensions().get(0),
                              l.request(),
                              mayDecide(caller, l.request(), l.extensions().get(0))))
                  .toList();
            });
  }

  /** One request's extensions, oldest first, when the caller may see the request. */
  public Future<List<Extension>> ofRequest(Caller caller, AccessRequest request) {
    if (!new AccessRules(policies.current(), now()).maySee(caller.principal(), request)) {
      return Future.failedFuture(StintException.notFound("no request " + request.id()));
    }
    return store.ofRequest(request.id());
  }

  /**
   * Whether the caller could approve or deny this extension now: it is pending, they have not
   * decided it yet, and the policy lets them approve both the request and the extension (neither
   * its requester nor its asker may be them). Pages use this to choose buttons; {@link #decide}
   * checks again.
   */
  public boolean mayDecide(Caller caller, AccessRequest request, Extension e) {
    return e.state() == Extension.State.PENDING
        && !e.hasVoted(caller.person())
        && rights(caller, request).mayApprove().allowed()
        && rights(caller, request, e).mayApprove().allowed();
  }

  /**
   * Whether {@code p}'s vote would count on {@code e} under the policy in force ({@link
   * Extension#couldBeApprovedBy}): as {@link #mayDecide}, for people who are not at hand to sign in
   * afresh, such as those an extension is sent to.
   */
  public boolean couldApprove(Principal p, AccessRequest request, Extension e) {
    return e.couldBeApprovedBy(p, request, new AccessRules(policies.current(), now()));
  }

  /** What the policy in force lets the caller do with this request (ask to extend it, ...). */
  public RequestRights rights(Caller caller, AccessRequest request) {
    return new AccessRules(policies.current(), now())
        .rights(caller.principal(), request, facts.known(caller, request));
  }

  /** As {@link #rights(Caller, AccessRequest)}, about extension {@code e} and its asker. */
  public RequestRights rights(Caller caller, AccessRequest request, Extension e) {
    return new AccessRules(policies.current(), now())
        .rights(caller.principal(), request, e.requester(), facts.known(caller, request));
  }

  /** Expires pending extensions whose grant was revoked or has ended; answers how many. */
  public Future<Integer> sweep() {
    Instant now = now();
    return store
        .stale(now, SWEEP_BATCH)
        .compose(
            requestIds -> {
              Future<Integer> chain = Future.succeededFuture(0);
              for (String requestId : requestIds) {
                chain =
                    chain.compose(
                        n ->
                            store
                                .update(
                                    requestId,
                                    locked -> {
                                      Optional<Extension> pending =
                                          locked.pending().flatMap(locked::find);
                                      ExtensionMachine.Result result =
                                          pending.isEmpty()
                                              ? new ExtensionMachine.Refused(
                                                  ErrorCode.CONFLICT, "none pending")
                                              : ExtensionMachine.expire(
                                                  pending.get(), locked.request(), now);
                                      return audit.swept(locked.request(), result).map(result);
                                    },
                                    (locked, c) -> changes(c, locked.request(), Act.SYSTEM, now))
                                .map(
                                    result -> {
                                      if (result instanceof ExtensionMachine.Changed c) {
                                        tell(c, requestId, Act.SYSTEM);
                                        return n + 1;
                                      }
                                      return n;
                                    }));
              }
              return chain;
            });
  }

  private Future<Extended> answer(
      ExtensionMachine.Result result, String requestId, Person actor, String action) {
    if (result instanceof ExtensionMachine.Refused r) {
      return Future.failedFuture(new StintException(r.code(), r.reason()));
    }
    ExtensionMachine.Changed c = (ExtensionMachine.Changed) result;
    tell(c, requestId, actor);
    return Future.succeededFuture(new Extended(c.extension(), c.newGrantEnd()));
  }

  /**
   * Notifications carry the original request (grant end as it is now) and what was asked. The
   * outbox rows were written with the change; in-process listeners hear of it after the commit.
   */
  private void tell(ExtensionMachine.Changed c, String requestId, Person actor) {
    afterCommit.run();
    if (listeners.isEmpty()) {
      return;
    }
    Instant at = now();
    store
        .findRequest(requestId)
        .onSuccess(
            found ->
                found.ifPresent(
                    r ->
                        changes(c, r, actor, at)
                            .forEach(change -> listeners.forEach(l -> l.changed(change)))));
  }

  /** The changes an extension decision makes: an auto-approved ask is asked, then granted. */
  static List<RequestListener.Change> changes(
      ExtensionMachine.Changed c, AccessRequest r, Person actor, Instant at) {
    Extension e = c.extension();
    String what =
        e.id()
            + ": +"
            + Durations.format(e.duration())
            + (e.reason().isBlank() ? "" : " (" + e.reason() + ")");
    List<String> events =
        c.eventType().equals("grant.extended") && e.approvalsRequired() == 0
            ? List.of("grant.extension_requested", "grant.extended")
            : List.of(c.eventType());
    return events.stream()
        .map(event -> new RequestListener.Change(event, r, actor, Optional.of(what), at))
        .toList();
  }

  /**
   * Ending a deprovisioned person's extensions and their votes on others', in the deprovisioning's
   * transaction; what it changed is told as this service's own changes are.
   */
  public ExtensionLeavers leavers() {
    return new ExtensionLeavers(
        store,
        audit,
        this::now,
        told -> told.forEach(t -> tell(t.changed(), t.requestId(), Act.SYSTEM)));
  }

  /** What to run once changes have committed: the outbox worker's poke, in the server. */
  public void afterCommit(Runnable run) {
    afterCommit = run;
  }
}
