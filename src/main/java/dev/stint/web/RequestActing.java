package dev.stint.web;

import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.Decisions;
import dev.stint.access.Requests;
import dev.stint.common.TextLimits;
import dev.stint.error.StintException;
import dev.stint.issuance.ConsoleService;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Acting on a request from its page: the decision and action posts, the revoke's confirmation page,
 * and opening the console of an active grant. Every rule is the access service's and the console's;
 * these check only what the page needs to answer clearly before asking them.
 */
final class RequestActing {
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

  private final Requests requests;
  private final Decisions decisions;
  private final ConsoleService console;
  private final IssuedSection issued;
  private final Clock clock;

  RequestActing(
      Requests requests,
      Decisions decisions,
      ConsoleService console,
      IssuedSection issued,
      Clock clock) {
    this.requests = requests;
    this.decisions = decisions;
    this.console = console;
    this.issued = issued;
    this.clock = clock;
  }

  Future<?> decide(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Action action = ACTIONS.get(PostedForm.chosen(ctx, ctx.pathParam("action")));
    if (action == null) {
      throw StintException.notFound("no such action: " + ctx.pathParam("action"));
    }
    Optional<String> comment = PostedForm.field(ctx, "comment");
    if (comment.map(c -> c.length() > TextLimits.MAX_TEXT).orElse(false)) {
      throw StintException.invalid("comment is longer than " + TextLimits.MAX_TEXT + " characters");
    }
    String id = ctx.pathParam("id");
    return decisions
        .decide(v.caller(ctx), id, action, comment)
        .onSuccess(r -> Respond.seeOther(ctx, "/ui/requests/" + r.id()));
  }

  /** The revoke's confirmation page: the GET shows what ends, only its form's POST revokes. */
  Future<?> confirmRevoke(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Caller caller = v.caller(ctx);
    return requests
        .get(caller, ctx.pathParam("id"))
        .compose(
            r -> {
              if (r.grant().isEmpty() || !RequestButtons.live(r, clock.instant())) {
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
  Future<?> openConsole(RoutingContext ctx) {
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
              if (!"active".equals(r.shownStateAt(clock.instant()))) {
                return Future.failedFuture(StintException.conflict("this grant is not active"));
              }
              return console.link(
                  caller, r.profile(), ConsoleService.Where.HOME, r.narrowed().values());
            })
        .onSuccess(link -> Respond.seeOther(ctx, link.url()));
  }
}
