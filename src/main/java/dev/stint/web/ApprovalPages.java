package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.BundleStore;
import dev.stint.access.Caller;
import dev.stint.access.Requests;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The approver's pages: the queue of pending requests the visitor may see ({@code /ui/approvals})
 * and the break-glass grants still waiting for a review ({@code /ui/break-glass}). The visitor's
 * own requests are listed but never get an approve button; the service refuses a forged one. A
 * narrowed request's values and the policy they fill stand above its buttons, as on its page: an
 * approver approves in place only what they can read in place.
 */
final class ApprovalPages {
  private final Requests requests;
  private final ExtensionPages extensions;
  private final Clock clock;

  ApprovalPages(Requests requests, ExtensionPages extensions, Clock clock) {
    this.requests = requests;
    this.extensions = extensions;
    this.clock = clock;
  }

  void register(Router ui) {
    ui.get("/approvals").handler(ctx -> Respond.page(ctx, this::queue));
    ui.get("/break-glass").handler(ctx -> Respond.page(ctx, this::breakGlass));
  }

  private Future<?> queue(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Caller caller = v.caller(ctx);
    Requests.Filter pending =
        new Requests.Filter(
            Set.of(RequestState.PENDING),
            Optional.empty(),
            Optional.empty(),
            false,
            Requests.Filter.MAX_LIMIT);
    return requests
        .page(caller, pending)
        .map(Requests.Page::requests)
        .compose(
            all ->
                requests
                    .bundlesOf(all.stream().map(AccessRequest::id).toList())
                    .compose(
                        bundles ->
                            extensions
                                .queue(v, caller)
                                .map(
                                    Respond.then(
                                        extended ->
                                            Respond.html(
                                                ctx,
                                                200,
                                                page(v, caller, all, bundles, extended))))));
  }

  /** The queue: one row per request, or per bundle (its first request stands for it). */
  private Html page(
      Visitor v,
      Caller caller,
      List<AccessRequest> all,
      Map<String, BundleStore.Ref> bundles,
      Html extended) {
    Map<String, String> names = bundleNames(bundles);
    Html table =
        Show.requests(
            oneRowPerBundle(all, bundles),
            clock.instant(),
            r -> decisionCell(v, caller, r, decides(r, all, bundles)),
            "Nothing is waiting for a decision you can see.",
            r -> names.getOrDefault(r.id(), r.profile()));
    return Layout.page(
        Optional.of(v),
        "Approvals",
        Html.of(
            """
            <p>Pending requests you may decide, and your own.</p>{}
            <section aria-labelledby="ext-q-h"><h2 id="ext-q-h">Extensions</h2>{}</section>""",
            table,
            extended));
  }

  /** A decision on a bundle's first request is one for all of it, so only that one is listed. */
  private static List<AccessRequest> oneRowPerBundle(
      List<AccessRequest> all, Map<String, BundleStore.Ref> bundles) {
    return all.stream()
        .filter(
            r ->
                bundles.get(r.id()) == null
                    || bundles.get(r.id()).requestIds().get(0).equals(r.id()))
        .toList();
  }

  /** What a bundle's row says in place of a profile: its name and its profiles. */
  private static Map<String, String> bundleNames(Map<String, BundleStore.Ref> bundles) {
    Map<String, String> names = new HashMap<>();
    bundles
        .values()
        .forEach(
            b ->
                names.put(
                    b.requestIds().get(0),
                    "bundle "
                        + b.name().map(n -> n + " ").orElse("")
                        + "("
                        + String.join(", ", b.profiles())
                        + ")"));
    return names;
  }

  /**
   * The requests a decision on row {@code r} decides: {@code r}, or every request of its bundle;
   * empty when one of the bundle's is not among those listed, whose narrowing then cannot be shown.
   */
  static List<AccessRequest> decides(
      AccessRequest r, List<AccessRequest> all, Map<String, BundleStore.Ref> bundles) {
    BundleStore.Ref bundle = bundles.get(r.id());
    if (bundle == null) {
      return List.of(r);
    }
    Map<String, AccessRequest> listed = new HashMap<>();
    all.forEach(one -> listed.put(one.id(), one));
    List<AccessRequest> out = new ArrayList<>();
    for (String id : bundle.requestIds()) {
      if (!listed.containsKey(id)) {
        return List.of();
      }
      out.add(listed.get(id));
    }
    return out;
  }

  private Html decisionCell(
      Visitor v, Caller caller, AccessRequest r, List<AccessRequest> decides) {
    RequestRights may = requests.rights(caller, r);
    if (may.mightBeRequester()) {
      return Html.of("<span class=\"muted\">Your request: others decide</span>");
    }
    Optional<Html> decided = RequestActions.decided(r.votes(), caller.person());
    if (decided.isPresent()) {
      return decided.get();
    }
    if (may.stepUpNeeded().isPresent()) {
      return RequestButtons.freshSignIn(r);
    }
    if (!may.mayApprove().allowed()) {
      return Html.empty();
    }
    if (decides.isEmpty()) {
      return Html.of(
          "<a class=\"button\" href=\"/ui/requests/{}\">Decide on its page</a>"
              + " <span class=\"muted\">(not all of its bundle is listed here)</span>",
          r.id());
    }
    return Html.of(
        "{}{}",
        NarrowedSection.beside(decides),
        RequestActions.decision(
            v, "/ui/requests/" + r.id(), r.id(), true, may.mayDeny().allowed()));
  }

  private Future<?> breakGlass(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Caller caller = v.caller(ctx);
    Requests.Filter unreviewed =
        new Requests.Filter(
            Set.of(), Optional.empty(), Optional.empty(), true, Requests.Filter.MAX_LIMIT);
    return requests
        .page(caller, unreviewed)
        .map(Requests.Page::requests)
        .map(
            Respond.then(
                list -> {
                  Instant now = clock.instant();
                  Html table =
                      Show.requests(
                          list,
                          now,
                          r -> reviewCell(v, caller, r),
                          "No break-glass use is waiting for a review.");
                  Respond.html(
                      ctx,
                      200,
                      Layout.page(
                          Optional.of(v),
                          "Break-glass review",
                          Html.of(
                              "<p>Break-glass grants were used without approval; each needs a review by someone"
                                  + " who may approve its profile (or an admin), never by the person who used it.</p>{}",
                              table)));
                }));
  }

  private Html reviewCell(Visitor v, Caller caller, AccessRequest r) {
    if (!requests.rights(caller, r).mayReview().allowed()) {
      return Html.empty();
    }
    return Html.of(
        """
        <form method="post" action="/ui/requests/{}/review" class="inline">{}
        <button type="submit">Mark reviewed</button></form>""",
        r.id(),
        Layout.csrfField(v));
  }
}
