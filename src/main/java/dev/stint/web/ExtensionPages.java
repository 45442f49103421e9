package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.extension.Extended;
import dev.stint.extension.Extension;
import dev.stint.extension.Extensions;
import dev.stint.extension.WaitingExtension;
import dev.stint.http.HttpStatuses;
import dev.stint.policy.ExtensionRule;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Extensions on the pages: the "Extend" form and the extension list of a request page, the pending
 * extensions in the approval queue, and the form posts that ask for or decide one. The extension
 * service decides everything (limits, who may approve, never the requester); the pages only choose
 * which forms to show.
 */
final class ExtensionPages {
  private static final Map<String, Action> ACTIONS =
      Map.of("approve", Action.APPROVE, "deny", Action.DENY, "cancel", Action.CANCEL);
  private static final int MAX_TEXT = 1_000;
  private static final int QUEUE_LIMIT = 200;

  private final Extensions extensions;
  private final PolicyInForce policies;
  private final Clock clock;

  ExtensionPages(Extensions extensions, PolicyInForce policies, Clock clock) {
    this.extensions = extensions;
    this.policies = policies;
    this.clock = clock;
  }

  /** The request page, drawn with the "Extend" form as given and the status to answer with. */
  @FunctionalInterface
  interface RequestPage {
    Future<?> show(RoutingContext ctx, ExtensionForm.Filled extend, int status);
  }

  /**
   * Registered before the request pages' generic {@code /ui/requests/:id/:action}; a refused ask
   * comes back as {@code page}, its form filled again.
   */
  void register(Router ui, RequestPage page) {
    ui.post("/requests/:id/extend").handler(ctx -> Respond.page(ctx, c -> extend(c, page)));
    ui.post("/extensions/:id/:action").handler(ctx -> Respond.page(ctx, this::decide));
  }

  /**
   * The request page's extension section: its extensions and, for the holder, the form, filled as
   * given. A refusal is shown even where no form is drawn, so it is never dropped.
   */
  Future<Html> section(Visitor v, Caller caller, AccessRequest r, ExtensionForm.Filled filled) {
    Optional<ExtensionRule> rule =
        policies.current().profile(r.profile()).flatMap(Profile::extension);
    return extensions
        .ofRequest(caller, r)
        .map(
            list -> {
              // Nothing to extend before there is a grant, or when the profile allows no
              // extensions; but an ask just refused is answered here, with its reason.
              if (list.isEmpty()
                  && (rule.isEmpty() || r.grant().isEmpty())
                  && filled.refusal().isEmpty()) {
                return Html.empty();
              }
              return Html.of(
                  "<section aria-labelledby=\"ext-h\"><h2 id=\"ext-h\">Extensions</h2>{}{}</section>",
                  list.isEmpty()
                      ? Html.of("<p class=\"muted\">No extension asked for.</p>")
                      : table(list, false, e -> actions(v, caller, r, e)),
                  noForm(caller, r, rule, list)
                      .map(none -> Html.of("{}{}", filled.errorAnywhere(), none))
                      .orElseGet(
                          () ->
                              ExtensionForm.of(
                                  v, r, rule.get(), room(r.grant().get(), rule.get()), filled)));
            });
  }

  /** The approval queue's part: pending extensions of requests the visitor may see. */
  Future<Html> queue(Visitor v, Caller caller) {
    return extensions
        .waiting(caller, QUEUE_LIMIT)
        .map(
            waiting -> {
              if (waiting.isEmpty()) {
                return Html.of(
                    "<p class=\"muted\">No extension is waiting for a decision you can see.</p>");
              }
              Map<String, WaitingExtension> byId = new HashMap<>();
              waiting.forEach(w -> byId.put(w.extension().id(), w));
              return table(
                  waiting.stream().map(WaitingExtension::extension).toList(),
                  true,
                  e -> queueCell(v, caller, byId.get(e.id())));
            });
  }

  private Html queueCell(Visitor v, Caller caller, WaitingExtension w) {
    if (extensions.rights(caller, w.request(), w.extension()).mightBeRequester()) {
      return Html.of("<span class=\"muted\">Your extension: others decide</span>");
    }
    return decisions(v, caller, w.extension(), w.mayDecide());
  }

  /** Extensions as a table; the queue links each to its request, a request page needs not. */
  private static Html table(
      List<Extension> list, boolean withRequest, Function<Extension, Html> actions) {
    return Html.of(
        """
        <div class="scroll"><table class="cards">
        <thead><tr><th scope="col">Extension</th>{}<th scope="col">Requester</th>
        <th scope="col">Asks for</th><th scope="col">Reason</th><th scope="col">State</th>
        <th scope="col">Approvals</th><th scope="col">Asked</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>{}</tbody></table></div>""",
        Html.when(withRequest, () -> Html.of("<th scope=\"col\">Request</th>")),
        Html.each(
            list,
            e ->
                Html.of(
                    """
            <tr id="{}"><td class="id" data-label="Extension">{}</td>{}
            <td data-label="Requester">{}</td><td data-label="Asks for">+{}</td>
            <td class="reason" data-label="Reason">{}</td>
            <td data-label="State"><span class="state state-{}">{}</span></td>
            <td data-label="Approvals">{} of {}</td><td data-label="Asked">{}</td>
            <td class="actions">{}</td></tr>""",
                    e.id(),
                    e.id(),
                    Html.when(
                        withRequest,
                        () ->
                            Html.of(
                                "<td class=\"id\" data-label=\"Request\"><a href=\"/ui/requests/{}\">{}</a></td>",
                                e.requestId(),
                                e.requestId())),
                    Show.person(e.requester()),
                    Show.duration(e.duration()),
                    e.reason(),
                    e.state().code(),
                    e.state().code(),
                    e.approvalCount(),
                    e.approvalsRequired(),
                    Show.time(e.createdAt()),
                    actions.apply(e))));
  }

  private Html actions(Visitor v, Caller caller, AccessRequest r, Extension e) {
    if (e.state() != Extension.State.PENDING) {
      return Html.empty();
    }
    if (extensions.rights(caller, r, e).mayCancel().allowed()) {
      return Html.of(
          """
          <span class="muted">Others decide.</span>
          <form method="post" action="/ui/extensions/{}/cancel" class="inline">{}
          <button type="submit" class="cancel">Cancel extension</button></form>""",
          e.id(),
          Layout.csrfField(v));
    }
    return decisions(v, caller, e, extensions.mayDecide(caller, r, e));
  }

  /** What the visitor decided on this extension, else the decision form if they may decide. */
  private static Html decisions(Visitor v, Caller caller, Extension e, boolean mayDecide) {
    return RequestActions.decided(e.votes(), caller.person())
        .orElseGet(
            () ->
                mayDecide
                    ? RequestActions.decision(v, "/ui/extensions/" + e.id(), e.id(), true, true)
                    : Html.empty());
  }

  /**
   * What the visitor sees instead of the "Extend" form, when there is none: only the holder of an
   * active grant asks, one pending extension at a time, while the profile's max_total leaves room.
   * A refusal is shown above it, since there is no field to put it beside.
   */
  private Optional<Html> noForm(
      Caller caller, AccessRequest r, Optional<ExtensionRule> rule, List<Extension> list) {
    boolean may = extensions.rights(caller, r).mayExtend().allowed();
    boolean active = "active".equals(r.shownStateAt(clock.instant()));
    if (!may || !active || rule.isEmpty() || r.grant().isEmpty()) {
      return Optional.of(
          may && !active
              ? Html.of("<p class=\"muted\">Only an active grant can be extended.</p>")
              : Html.empty());
    }
    if (list.stream().anyMatch(e -> e.state() == Extension.State.PENDING)) {
      return Optional.of(Html.of("<p class=\"muted\">An extension is waiting for a decision.</p>"));
    }
    if (room(r.grant().get(), rule.get()).compareTo(Duration.ofMinutes(1)) < 0) {
      return Optional.of(
          Html.of(
              "<p class=\"muted\">This grant is at its profile's limit of {} in total.</p>",
              Show.duration(rule.get().maxTotal())));
    }
    return Optional.empty();
  }

  /** What the profile's max_total still allows this grant, in whole minutes. */
  private static Duration room(Grant g, ExtensionRule rule) {
    return rule.maxTotal()
        .minus(Duration.between(g.startsAt(), g.endsAt()))
        .truncatedTo(ChronoUnit.MINUTES);
  }

  /**
   * A refused ask comes back as the request page, its form filled with what was submitted and the
   * reason beside its field (400 or 403, as the API answers); only other failures become the error
   * page. The service audits its refusals; the form's own checks refuse before anything is asked.
   */
  private Future<?> extend(RoutingContext ctx, RequestPage page) {
    Visitor v = Visitor.of(ctx);
    ExtensionForm.Filled filled = filled(ctx);
    String id = ctx.pathParam("id");
    Future<Extended> asked;
    try {
      asked = extensions.extend(v.caller(ctx), id, checked(filled), filled.reason());
    } catch (StintException e) {
      asked = Future.failedFuture(e);
    }
    return asked
        .onSuccess(x -> Respond.seeOther(ctx, "/ui/requests/" + id))
        .recover(
            e -> {
              if (e instanceof StintException se
                  && (se.code() == ErrorCode.INVALID_REQUEST || se.code() == ErrorCode.FORBIDDEN)) {
                return page.show(ctx, filled.refusedFor(se.detail()), HttpStatuses.of(se.code()))
                    .map(x -> null);
              }
              return Future.failedFuture(e);
            });
  }

  /**
   * The form as submitted; a length that is not a whole, plausible number of seconds is left out.
   */
  private static ExtensionForm.Filled filled(RoutingContext ctx) {
    return new ExtensionForm.Filled(
        PostedForm.seconds(ctx, "duration_seconds"),
        PostedForm.field(ctx, "reason").orElse(""),
        Optional.empty());
  }

  /** The length asked for, once the form's own checks pass. */
  private static Duration checked(ExtensionForm.Filled f) {
    Duration by =
        f.duration().orElseThrow(() -> StintException.invalid("choose how long to extend by"));
    if (f.reason().length() > MAX_TEXT) {
      throw StintException.invalid("reason is longer than " + MAX_TEXT + " characters");
    }
    return by;
  }

  private Future<?> decide(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Action action = ACTIONS.get(PostedForm.chosen(ctx, ctx.pathParam("action")));
    if (action == null) {
      throw StintException.notFound("no such action: " + ctx.pathParam("action"));
    }
    Optional<String> comment = PostedForm.field(ctx, "comment");
    if (comment.map(c -> c.length() > MAX_TEXT).orElse(false)) {
      throw StintException.invalid("comment is longer than " + MAX_TEXT + " characters");
    }
    return extensions
        .decide(v.caller(ctx), ctx.pathParam("id"), action, comment)
        .onSuccess(
            x ->
                Respond.seeOther(
                    ctx, "/ui/requests/" + x.extension().requestId() + "#" + x.extension().id()));
  }
}
