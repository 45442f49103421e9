package dev.stint.web;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * The requester's pages: {@code /ui} (my requests and the new-request form, {@link RequestFiling}),
 * the request page {@code /ui/requests/{id}} with its timeline ({@link RequestDetailPage}), and the
 * form posts that act on a request ({@link RequestActing}). Every rule is the access service's; the
 * pages only choose which buttons to show.
 */
final class RequestPages {
  private final RequestFiling filing;
  private final RequestDetailPage detail;
  private final RequestActing acting;

  RequestPages(RequestPagePorts ports, RequestPageSections sections, Clock clock) {
    this.filing = new RequestFiling(ports.requests(), ports.policies(), clock);
    this.detail =
        new RequestDetailPage(
            ports, sections, new RequestButtons(ports.requests(), ports.console(), clock), clock);
    this.acting =
        new RequestActing(
            ports.requests(), ports.decisions(), ports.console(), sections.issued(), clock);
  }

  void register(Router ui) {
    // The home page is /ui and /ui/: below its mount point the first is the empty path.
    ui.getWithRegex("/?").handler(ctx -> Respond.page(ctx, filing::home));
    ui.post("/requests").handler(ctx -> Respond.page(ctx, filing::create));
    ui.get("/requests/:id")
        .handler(ctx -> Respond.page(ctx, c -> show(c, ExtensionForm.Filled.EMPTY, 200)));
    ui.post("/requests/:id/console").handler(ctx -> Respond.page(ctx, acting::openConsole));
    ui.get("/requests/:id/revoke").handler(ctx -> Respond.page(ctx, acting::confirmRevoke));
    ui.post("/requests/:id/:action").handler(ctx -> Respond.page(ctx, acting::decide));
  }

  /** The request page, its "Extend" form filled as given: the extension posts answer with it. */
  Future<?> show(RoutingContext ctx, ExtensionForm.Filled extend, int status) {
    return detail.show(ctx, extend, status);
  }
}
