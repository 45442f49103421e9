package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.access.Caller;
import dev.stint.access.NewRequest;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.Requests;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.http.HttpStatuses;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The home page {@code /ui} (my requests and the new-request form) and the form's post that files a
 * request. Who may request what is the policy's and the access service's; the page only lists.
 */
final class RequestFiling {
  private final Requests requests;
  private final PolicyInForce policies;
  private final Clock clock;

  RequestFiling(Requests requests, PolicyInForce policies, Clock clock) {
    this.requests = requests;
    this.policies = policies;
    this.clock = clock;
  }

  Future<?> home(RoutingContext ctx) {
    return home(ctx, FilledRequestForm.EMPTY, 200);
  }

  /** My requests and the new-request form, {@code filled} as given. */
  private Future<?> home(RoutingContext ctx, FilledRequestForm filled, int status) {
    Visitor v = Visitor.of(ctx);
    Caller caller = v.caller(ctx);
    Requests.Filter mine =
        new Requests.Filter(Set.of(), Optional.of(caller.person()), Optional.empty(), false, 50);
    return requests
        .page(caller, mine)
        .map(Requests.Page::requests)
        .map(
            Respond.then(
                list -> {
                  Instant now = clock.instant();
                  Html body =
                      Html.of(
                          """
          <section aria-labelledby="new-h"><h2 id="new-h">Request access</h2>{}</section>
          <section aria-labelledby="mine-h"><h2 id="mine-h">My requests</h2>{}</section>""",
                          RequestForm.of(v, requestable(v, now), filled, now),
                          Show.requests(list, now, r -> Html.empty(), "You have no requests yet."));
                  Respond.html(ctx, status, Layout.page(Optional.of(v), "My requests", body));
                }));
  }

  /** The profiles the visitor may request, as the API's {@code GET /v1/profiles} decides. */
  private List<Profile> requestable(Visitor v, Instant now) {
    PolicyEvaluator evaluator = policies.evaluator();
    return policies.current().profiles().values().stream()
        .filter(p -> evaluator.mayRequest(v.principal(), p, now))
        .toList();
  }

  /**
   * A refused request comes back as the form, filled with what was submitted and the reason beside
   * its field (400 or 403, as the API answers); only other failures become the error page.
   */
  Future<?> create(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    FilledRequestForm filled = filled(ctx);
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
  private static FilledRequestForm filled(RoutingContext ctx) {
    String profile = PostedForm.field(ctx, "profile").orElse("");
    return new FilledRequestForm(
        profile,
        PostedForm.seconds(ctx, "duration_seconds"),
        PostedForm.field(ctx, "reason").orElse(""),
        PostedForm.field(ctx, "ticket").orElse(""),
        "true".equals(ctx.request().getFormAttribute("break_glass")),
        ParameterInputs.posted(ctx, profile),
        Optional.empty());
  }

  private static NewRequest asked(FilledRequestForm f) {
    if (f.profile().isEmpty()) {
      throw StintException.invalid("choose a profile");
    }
    return new NewRequest(
        f.profile(),
        f.duration().orElseThrow(() -> StintException.invalid("choose a duration")),
        f.reason(),
        Optional.of(f.ticket()).filter(t -> !t.isEmpty()),
        Optional.empty(),
        f.breakGlass(),
        Narrowed.asked(f.parameters()));
  }
}
