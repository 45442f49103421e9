package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.access.Action;
import dev.stint.access.Approvers;
import dev.stint.access.BundleStore;
import dev.stint.access.Caller;
import dev.stint.access.Decisions;
import dev.stint.access.NewRequest;
import dev.stint.access.RequestFilter;
import dev.stint.access.RequestPage;
import dev.stint.access.RequestState;
import dev.stint.access.RequestView;
import dev.stint.access.Requests;
import dev.stint.audit.AuditRecord;
import dev.stint.audit.AuditViews;
import dev.stint.common.TextLimits;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.http.HttpStatuses;
import dev.stint.issuance.ConsoleService;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.Profile;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The requester's pages: {@code /ui} (my requests and the new-request form), the request page
 * {@code /ui/requests/{id}} with its timeline, and the form posts that act on a request. Every rule
 * is the access service's; the pages only choose which buttons to show.
 */
final class RequestPages {
  private static final Map<String, Action> ACTIONS =
      Map.of(
          "approve",
          Action.APPROVE,
          "deny",
          Action.DENY,
          "cancel",
          Action.CANCEL,
          "revoke",
          Action.REVOKE,
          "review",
          Action.REVIEW);
  private static final int TIMELINE_LIMIT = 200;

  private final Requests requests;
  private final Decisions decisions;
  private final ConsoleService console;
  private final AuditViews audit;
  private final PolicyStore policies;
  private final ExtensionPages extensions;
  private final Approvers approvers;
  private final IssuedSection issued;
  private final ActivitySection activity;
  private final Clock clock;

  RequestPages(
      Requests requests,
      Decisions decisions,
      ConsoleService console,
      AuditViews audit,
      PolicyStore policies,
      ExtensionPages extensions,
      Approvers approvers,
      IssuedSection issued,
      ActivitySection activity,
      Clock clock) {
    this.issued = issued;
    this.activity = activity;
    this.requests = requests;
    this.decisions = decisions;
    this.extensions = extensions;
    this.console = console;
    this.audit = audit;
    this.policies = policies;
    this.approvers = approvers;
    this.clock = clock;
  }

  void register(Router ui) {
    // The home page is /ui and /ui/: below its mount point the first is the empty path.
    ui.getWithRegex("/?").handler(ctx -> Respond.page(ctx, this::home));
    ui.post("/requests").handler(ctx -> Respond.page(ctx, this::create));
    ui.get("/requests/:id")
        .handler(ctx -> Respond.page(ctx, c -> show(c, ExtensionForm.Filled.EMPTY, 200)));
    ui.post("/requests/:id/console").handler(ctx -> Respond.page(ctx, this::openConsole));
    ui.get("/requests/:id/revoke").handler(ctx -> Respond.page(ctx, this::confirmRevoke));
    ui.post("/requests/:id/:action").handler(ctx -> Respond.page(ctx, this::decide));
  }

  private Future<?> home(RoutingContext ctx) {
    return home(ctx, RequestForm.Filled.EMPTY, 200);
  }

  /** My requests and the new-request form, {@code filled} as given. */
  private Future<?> home(RoutingContext ctx, RequestForm.Filled filled, int status) {
    Visitor v = Visitor.of(ctx);
    Caller caller = v.caller(ctx);
    RequestFilter mine =
        new RequestFilter(Set.of(), Optional.of(caller.person()), Optional.empty(), false, 50);
    return requests
        .page(caller, mine)
        .map(RequestPage::requests)
        .map(
            Respond.then(
                list -> {
                  Instant now = clock.instant();
                  Html body =
                      Html.of(
                          """
          <section aria-labelledby="new-h"><h2 id="new-h">Request access</h2>{}</section>
          <section aria-labelledby="mine-h"><h2 id="mine-h">My requests</h2>{}</section>""",
                          RequestForm.of(v, requestable(v), filled),
                          Show.requests(list, now, r -> Html.empty(), "You have no requests yet."));
                  Respond.html(ctx, status, Layout.page(Optional.of(v), "My requests", body));
                }));
  }

  /** The profiles the visitor may request, as the API's {@code GET /v1/profiles} decides. */
  private List<Profile> requestable(Visitor v) {
    PolicyEvaluator evaluator = policies.evaluator();
    Instant now = clock.instant();
    return policies.current().profiles().values().stream()
        .filter(p -> evaluator.mayRequest(v.principal(), p, now))
        .toList();
  }

  /**
   * A refused request comes back as the form, filled with what was submitted and the reason beside
   * its field (400 or 403, as the API answers); only other failures become the error page.
   */
  private Future<?> create(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    RequestForm.Filled filled = filled(ctx);
    Future<AccessRequest> created;
    try {
      created = requests.create(v.caller(ctx), asked(filled));
    } catch (StintException e) {
      created = Future.failedFuture(e);
    }
    return created
        .onSuccess(r -> Respond.seeOther(ctx, "/ui/requests/" + r.id()))
        .recover(
            e -> {
              if (e instanceof StintException se
                  && (se.code() == ErrorCode.INVALID_REQUEST || se.code() == ErrorCode.FORBIDDEN)) {
                int status = HttpStatuses.of(se.code());
                return home(ctx, filled.refusedFor(se.detail()), status).map(x -> null);
              }
              return Future.failedFuture(e);
            });
  }

  /** The form as submitted; a duration that is not a whole number of seconds is left out. */
  private static RequestForm.Filled filled(RoutingContext ctx) {
    Optional<Duration> duration;
    try {
      long seconds = Long.parseLong(form(ctx, "duration_seconds").orElse(""));
      duration =
          seconds <= 0 || seconds > Duration.ofDays(366).toSeconds()
              ? Optional.empty()
              : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException e) {
      duration = Optional.empty();
    }
    return new RequestForm.Filled(
        form(ctx, "profile").orElse(""),
        duration,
        form(ctx, "reason").orElse(""),
        form(ctx, "ticket").orElse(""),
        "true".equals(ctx.request().getFormAttribute("break_glass")),
        Optional.empty());
  }

  private static NewRequest asked(RequestForm.Filled f) {
    if (f.profile().isEmpty()) {
      throw StintException.invalid("choose a profile");
    }
    return new NewRequest(
        f.profile(),
        f.duration().orElseThrow(() -> StintException.invalid("choose a duration")),
        f.reason(),
        Optional.of(f.ticket()).filter(t -> !t.isEmpty()),
        Optional.empty(),
        f.breakGlass());
  }

  /** The request page, its "Extend" form filled as given, answered with {@code status}. */
  Future<?> show(RoutingContext ctx, ExtensionForm.Filled extend, int status) {
    Visitor v = Visitor.of(ctx);
    Caller caller = v.caller(ctx);
    return requests
        .get(caller, ctx.pathParam("id"))
        .compose(
            r ->
                around(v, caller, r, extend, ActivitySection.cursor(ctx))
                    .map(
                        Respond.then(
                            a ->
                                Respond.html(
                                    ctx,
                                    status,
                                    Layout.page(
                                        Optional.of(v),
                                        "Request " + r.id(),
                                        RequestDetail.page(
                                            r,
                                            a.events(),
                                            buttons(v, caller, r),
                                            Html.of(
                                                "{}{}",
                                                a.bundle()
                                                    .map(b -> RequestDetail.bundle(b, r))
                                                    .orElse(Html.empty()),
                                                RequestDetail.approvers(r, a.approvers())),
                                            Html.of("{}{}{}", a.issued(), a.used(), a.extensions()),
                                            clock.instant()))))));
  }

  /** What a request page shows besides the request itself, read before it is drawn. */
  private record Around(
      Html extensions,
      Optional<BundleStore.Ref> bundle,
      List<Approvers.Candidate> approvers,
      List<AuditRecord> events,
      Html issued,
      Html used) {}

  private Future<Around> around(
      Visitor v,
      Caller caller,
      AccessRequest r,
      ExtensionForm.Filled extend,
      Optional<String> activityCursor) {
    Future<Html> extended = extensions.section(v, caller, r, extend);
    Future<Optional<BundleStore.Ref>> bundle = requests.bundleOf(r.id());
    Future<List<Approvers.Candidate>> who =
        bundle.compose(
            b ->
                b.map(
                        ref ->
                            bundled(caller, ref)
                                .compose(approvers::ofAll)
                                .recover(e -> approvers.of(r)))
                    .orElseGet(() -> approvers.of(r)));
    Future<List<AuditRecord>> events =
        audit.reader().ofRequest(r.id(), r.grant().map(g -> g.id()), TIMELINE_LIMIT);
    Future<Html> credentials = issued.of(r);
    Future<Html> used = activity.of(r, activityCursor);
    return Future.all(extended, who, events, credentials, used)
        .map(
            x ->
                new Around(
                    extended.result(),
                    bundle.result(),
                    who.result(),
                    events.result(),
                    credentials.result(),
                    used.result()));
  }

  /** A bundle's requests, each as the caller may see it (failing if one is hidden). */
  private Future<List<AccessRequest>> bundled(Caller caller, BundleStore.Ref b) {
    List<Future<AccessRequest>> each =
        b.requestIds().stream().map(id -> requests.get(caller, id)).toList();
    return Future.all(each).map(x -> each.stream().map(Future::result).toList());
  }

  /** For a step-up profile: decide after signing in again (the IdP is asked for a fresh login). */
  static Html freshSignIn(AccessRequest r) {
    return Html.of(
        "<a class=\"button\" href=\"/ui/login?fresh=1&amp;return_to=/ui/requests/{}\">"
            + "Sign in again to decide</a>",
        r.id());
  }

  /**
   * What the visitor may do to this request now; the service checks again on submit. Open console
   * comes before Revoke, and Revoke only links to its confirmation: the trial found a one-click
   * revoke sitting where people reached for the console. The console opens in a new tab, so stint
   * stays open beside it; "noopener" and not "noreferrer": with "noreferrer" Chromium sends
   * "Origin: null" on the post, which the Origin check refuses, and the Referrer-Policy header
   * already keeps stint's address from AWS.
   */
  private Html buttons(Visitor v, Caller caller, AccessRequest r) {
    Instant now = clock.instant();
    String state = RequestView.stateAt(r, now);
    RequestRights may = requests.rights(caller, r);
    boolean mine = may.isRequester();
    boolean pending = r.state() == RequestState.PENDING;
    List<Html> forms = new ArrayList<>();
    if (mine && "active".equals(state) && console.offers(r.profile())) {
      forms.add(
          Html.of(
              """
          <form method="post" action="/ui/requests/{}/console" class="inline"
          target="_blank" rel="noopener">{}
          <button type="submit">Open console</button></form>""",
              r.id(),
              Layout.csrfField(v)));
    }
    Optional<Html> decided = RequestActions.decided(r.votes(), caller.person());
    if (decided.isPresent()) {
      forms.add(decided.get());
    } else if (pending) {
      forms.add(decision(v, r, may));
    }
    if (pending && may.mayCancel().allowed()) {
      forms.add(action(v, r, "cancel", "Cancel request"));
    }
    if (live(r) && may.mayRevoke().allowed()) {
      forms.add(RequestActions.revokeLink(r));
    }
    if (r.grant().map(g -> g.needsReview()).orElse(false) && may.mayReview().allowed()) {
      forms.add(action(v, r, "review", "Mark break-glass use reviewed"));
    }
    if (pending && mine) {
      forms.add(Html.of("<p class=\"muted\">You cannot approve your own request.</p>"));
    }
    return Html.each(forms, f -> f);
  }

  /** A pending request the visitor has not decided: the one decision form they may use. */
  private static Html decision(Visitor v, AccessRequest r, RequestRights may) {
    boolean approve = may.mayApprove().allowed();
    boolean deny = may.mayDeny().allowed();
    Html form =
        approve || deny
            ? RequestActions.decision(v, "/ui/requests/" + r.id(), r.id(), approve, deny)
            : Html.empty();
    return may.stepUpNeeded().isPresent() ? Html.of("{}{}", form, freshSignIn(r)) : form;
  }

  private static Html action(Visitor v, AccessRequest r, String action, String label) {
    return Html.of(
        """
        <form method="post" action="/ui/requests/{}/{}" class="inline">{}
        <button type="submit" class="{}">{}</button></form>""",
        r.id(),
        action,
        Layout.csrfField(v),
        action,
        label);
  }

  private Future<?> decide(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Action action = ACTIONS.get(chosen(ctx, ctx.pathParam("action")));
    if (action == null) {
      throw StintException.notFound("no such action: " + ctx.pathParam("action"));
    }
    Optional<String> comment = form(ctx, "comment");
    if (comment.map(c -> c.length() > TextLimits.MAX_TEXT).orElse(false)) {
      throw StintException.invalid("comment is longer than " + TextLimits.MAX_TEXT + " characters");
    }
    String id = ctx.pathParam("id");
    return decisions
        .decide(v.caller(ctx), id, action, comment)
        .onSuccess(r -> Respond.seeOther(ctx, "/ui/requests/" + r.id()));
  }

  /**
   * The action a form asks for: its path's, or for the one decision form ({@code .../decide}) the
   * pressed button's {@code decision}, approve or deny and nothing else.
   */
  static String chosen(RoutingContext ctx, String pathAction) {
    if (!"decide".equals(pathAction)) {
      return pathAction;
    }
    String decision = form(ctx, "decision").orElse("");
    if (!decision.equals("approve") && !decision.equals("deny")) {
      throw StintException.invalid("choose approve or deny");
    }
    return decision;
  }

  /** A grant a revoke can still end: approved, and not expired yet (active or scheduled). */
  private boolean live(AccessRequest r) {
    return r.state() == RequestState.APPROVED
        && !"expired".equals(RequestView.stateAt(r, clock.instant()));
  }

  /** The revoke's confirmation page: the GET shows what ends, only its form's POST revokes. */
  private Future<?> confirmRevoke(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Caller caller = v.caller(ctx);
    return requests
        .get(caller, ctx.pathParam("id"))
        .compose(
            r -> {
              if (r.grant().isEmpty() || !live(r)) {
                return Future.failedFuture(StintException.conflict("this grant is not live"));
              }
              if (!requests.rights(caller, r).mayRevoke().allowed()) {
                return Future.failedFuture(
                    StintException.forbidden("you may not revoke this grant"));
              }
              return issued
                  .of(r)
                  .map(
                      Respond.then(
                          credentials ->
                              Respond.html(
                                  ctx,
                                  200,
                                  Layout.page(
                                      Optional.of(v),
                                      "Revoke request " + r.id() + "?",
                                      RequestActions.confirmRevoke(
                                          v, r, r.grant().get(), credentials)))));
            });
  }

  /** The AWS console for the visitor's own active grant: minted and audited as /v1/console. */
  private Future<?> openConsole(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Caller caller = v.caller(ctx);
    return requests
        .get(caller, ctx.pathParam("id"))
        .compose(
            r -> {
              if (!requests.rights(caller, r).isRequester()) {
                return Future.failedFuture(
                    StintException.forbidden("only the requester can open the console of a grant"));
              }
              if (!"active".equals(RequestView.stateAt(r, clock.instant()))) {
                return Future.failedFuture(StintException.conflict("this grant is not active"));
              }
              return console.link(caller, r.profile(), ConsoleService.Where.HOME);
            })
        .onSuccess(link -> Respond.seeOther(ctx, link.url()));
  }

  /** A form field, stripped; empty when absent or blank. */
  static Optional<String> form(RoutingContext ctx, String name) {
    return Optional.ofNullable(ctx.request().getFormAttribute(name))
        .map(String::strip)
        .filter(s -> !s.isEmpty());
  }
}
