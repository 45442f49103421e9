package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessService.Action;
import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.RequestView;
import dev.stint.common.TextLimits;
import dev.stint.error.StintException;
import dev.stint.extension.Extension;
import dev.stint.extension.ExtensionService;
import dev.stint.policy.ExtensionRule;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
  /** Extensions offered in the form, up to what the profile's max_total still allows. */
  private static final List<Duration> STEPS =
      List.of(
          Duration.ofMinutes(15),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2),
          Duration.ofHours(4),
          Duration.ofHours(8));

  private static final Map<String, Action> ACTIONS =
      Map.of("approve", Action.APPROVE, "deny", Action.DENY, "cancel", Action.CANCEL);
  private static final int MAX_TEXT = 1_000;
  private static final int QUEUE_LIMIT = 200;

  private final ExtensionService extensions;
  private final PolicyStore policies;
  private final Clock clock;

  ExtensionPages(ExtensionService extensions, PolicyStore policies, Clock clock) {
    this.extensions = extensions;
    this.policies = policies;
    this.clock = clock;
  }

  /** Registered before the request pages' generic {@code /ui/requests/:id/:action}. */
  void register(Router ui) {
    ui.post("/requests/:id/extend").handler(ctx -> Respond.page(ctx, this::extend));
    ui.post("/extensions/:id/:action").handler(ctx -> Respond.page(ctx, this::decide));
  }

  /** The request page's extension section: its extensions and, for the holder, the form. */
  Future<Html> section(Visitor v, Caller caller, AccessRequest r) {
    Optional<ExtensionRule> rule =
        policies.current().profile(r.profile()).flatMap(Profile::extension);
    return extensions
        .ofRequest(caller, r)
        .map(
            list -> {
              // Nothing to extend before there is a grant, or when the profile allows no
              // extensions.
              if (list.isEmpty() && (rule.isEmpty() || r.grant().isEmpty())) {
                return Html.empty();
              }
              return Html.of(
                  "<section aria-labelledby=\"ext-h\"><h2 id=\"ext-h\">Extensions</h2>{}{}</section>",
                  list.isEmpty()
                      ? Html.of("<p class=\"muted\">No extension asked for.</p>")
                      : table(list, false, e -> actions(v, caller, r, e)),
                  form(v, caller, r, rule, list));
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
              Map<String, ExtensionService.Waiting> byId = new HashMap<>();
              waiting.forEach(w -> byId.put(w.extension().id(), w));
              return table(
                  waiting.stream().map(ExtensionService.Waiting::extension).toList(),
                  true,
                  e -> queueCell(v, caller, byId.get(e.id())));
            });
  }

  private Html queueCell(Visitor v, Caller caller, ExtensionService.Waiting w) {
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

  /** The "Extend" form: only the holder of an active grant, one pending extension at a time. */
  private Html form(
      Visitor v,
      Caller caller,
      AccessRequest r,
      Optional<ExtensionRule> rule,
      List<Extension> list) {
    boolean may = extensions.rights(caller, r).mayExtend().allowed();
    boolean active = "active".equals(RequestView.stateAt(r, clock.instant()));
    if (!may || !active || rule.isEmpty() || r.grant().isEmpty()) {
      return may && !active
          ? Html.of("<p class=\"muted\">Only an active grant can be extended.</p>")
          : Html.empty();
    }
    if (list.stream().anyMatch(e -> e.state() == Extension.State.PENDING)) {
      return Html.of("<p class=\"muted\">An extension is waiting for a decision.</p>");
    }
    Grant g = r.grant().get();
    Duration room =
        rule.get()
            .maxTotal()
            .minus(Duration.between(g.startsAt(), g.endsAt()))
            .truncatedTo(ChronoUnit.MINUTES);
    if (room.compareTo(Duration.ofMinutes(1)) < 0) {
      return Html.of(
          "<p class=\"muted\">This grant is at its profile's limit of {} in total.</p>",
          Show.duration(rule.get().maxTotal()));
    }
    List<Duration> offered =
        new ArrayList<>(STEPS.stream().filter(d -> d.compareTo(room) < 0).toList());
    offered.add(room);
    return Html.of(
        """
        <form method="post" action="/ui/requests/{}/extend" class="stack">{}
        <label for="ext-by">Extend by</label>
        <select id="ext-by" name="duration_seconds">{}</select>
        <p class="hint">Up to {} in total{}.</p>
        <label for="ext-reason">Reason</label>
        <input id="ext-reason" name="reason" type="text" maxlength="{}" autocomplete="off">
        <button type="submit">Extend</button></form>""",
        r.id(),
        Layout.csrfField(v),
        Html.each(
            offered,
            d -> Html.of("<option value=\"{}\">{}</option>", d.toSeconds(), Show.duration(d))),
        Show.duration(rule.get().maxTotal()),
        rule.get().approval() == ExtensionRule.Approval.AUTO
            ? "; applied at once"
            : "; approved like the request",
        TextLimits.MAX_TEXT);
  }

  private Future<?> extend(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    long seconds;
    try {
      seconds = Long.parseLong(RequestPages.form(ctx, "duration_seconds").orElse(""));
    } catch (NumberFormatException e) {
      throw StintException.invalid("choose how long to extend by");
    }
    if (seconds <= 0 || seconds > Duration.ofDays(366).toSeconds()) {
      throw StintException.invalid("choose how long to extend by");
    }
    String reason = RequestPages.form(ctx, "reason").orElse("");
    if (reason.length() > MAX_TEXT) {
      throw StintException.invalid("reason is longer than " + MAX_TEXT + " characters");
    }
    String id = ctx.pathParam("id");
    return extensions
        .extend(v.caller(ctx), id, Duration.ofSeconds(seconds), reason)
        .onSuccess(x -> Respond.seeOther(ctx, "/ui/requests/" + id));
  }

  private Future<?> decide(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Action action = ACTIONS.get(RequestPages.chosen(ctx, ctx.pathParam("action")));
    if (action == null) {
      throw StintException.notFound("no such action: " + ctx.pathParam("action"));
    }
    Optional<String> comment = RequestPages.form(ctx, "comment");
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
