package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.access.Approvers;
import dev.stint.access.Bundles;
import dev.stint.access.Caller;
import dev.stint.access.Requests;
import dev.stint.audit.AuditRecord;
import dev.stint.audit.AuditViews;
import dev.stint.finding.Finding;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The request page {@code /ui/requests/{id}}: everything it shows around the request (extensions,
 * bundle, approvers, timeline, credentials issued, findings, activity with the calls findings name
 * marked) is read at once, then {@link RequestDetail} draws it with the buttons the visitor may
 * use.
 */
final class RequestDetailPage {
  private static final int TIMELINE_LIMIT = 200;

  private final Requests requests;
  private final Approvers approvers;
  private final Bundles bundles;
  private final AuditViews audit;
  private final RequestPageSections sections;
  private final RequestButtons buttons;
  private final PolicyInForce policies;
  private final Clock clock;

  RequestDetailPage(
      RequestPagePorts ports, RequestPageSections sections, RequestButtons buttons, Clock clock) {
    this.requests = ports.requests();
    this.approvers = ports.approvers();
    this.bundles = ports.bundles();
    this.audit = ports.audit();
    this.policies = ports.policies();
    this.sections = sections;
    this.buttons = buttons;
    this.clock = clock;
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
                                            buttons.of(v, caller, r),
                                            Html.of(
                                                "{}{}",
                                                a.bundle()
                                                    .map(b -> RequestDetail.bundle(b, r))
                                                    .orElse(Html.empty()),
                                                WhoCanApprove.of(
                                                    r,
                                                    a.approvers(),
                                                    WhoCanApprove.openStage(
                                                        policies.current(), r))),
                                            Html.of(
                                                "{}{}{}{}{}",
                                                a.issued(),
                                                a.leases(),
                                                a.findings(),
                                                a.used(),
                                                a.extensions()),
                                            clock.instant()))))));
  }

  /** What a request page shows besides the request itself, read before it is drawn. */
  private record Around(
      Html extensions,
      Optional<Bundles.Ref> bundle,
      List<Approvers.Candidate> approvers,
      List<AuditRecord> events,
      Html issued,
      Html leases,
      Html findings,
      Html used) {}

  private Future<Around> around(
      Visitor v,
      Caller caller,
      AccessRequest r,
      ExtensionForm.Filled extend,
      Optional<String> activityCursor) {
    Future<Html> extended = sections.extensions().section(v, caller, r, extend);
    Future<Optional<Bundles.Ref>> bundle = bundles.of(r.id());
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
    Future<Html> credentials = sections.issued().of(r);
    Future<List<Finding>> found = sections.findings().ofRequest(caller, r.id());
    Future<Html> used =
        found.compose(fs -> sections.activity().of(r, activityCursor, FindingSection.flagged(fs)));
    Future<Html> leases = sections.leases().of(caller, r);
    return Future.all(List.of(extended, who, events, credentials, leases, used))
        .map(
            x ->
                new Around(
                    extended.result(),
                    bundle.result(),
                    who.result(),
                    events.result(),
                    credentials.result(),
                    leases.result(),
                    FindingSection.of(found.result(), r.grant().isPresent()),
                    used.result()));
  }

  /** A bundle's requests, each as the caller may see it (failing if one is hidden). */
  private Future<List<AccessRequest>> bundled(Caller caller, Bundles.Ref b) {
    List<Future<AccessRequest>> each =
        b.requestIds().stream().map(id -> requests.get(caller, id)).toList();
    return Future.all(each).map(x -> each.stream().map(Future::result).toList());
  }
}
