package dev.stint.web;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.notify.slack.SlackLinking;
import dev.stint.notify.slack.SlackLinks;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code /ui/slack/link}: the signed-in person links their Slack account, so that their clicks on
 * request messages count as theirs. The person names their Slack member id, stint sends that member
 * a code, the person types it back here (every form is CSRF-checked by the guard).
 */
final class SlackLinkPages {
  private final Optional<SlackLinking> linking;

  SlackLinkPages(Optional<SlackLinking> linking) {
    this.linking = linking;
  }

  void register(Router ui) {
    ui.get("/slack/link").handler(ctx -> Respond.page(ctx, this::show));
    ui.post("/slack/link").handler(ctx -> Respond.page(ctx, this::start));
    ui.post("/slack/link/confirm").handler(ctx -> Respond.page(ctx, this::confirm));
    ui.post("/slack/unlink").handler(ctx -> Respond.page(ctx, this::unlink));
  }

  private SlackLinking linking() {
    return linking.orElseThrow(
        () ->
            StintException.notFound(
                "this server has no Slack app (notify.slack.bot_token is not set)"));
  }

  private Future<?> show(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    return linking()
        .current(v.principal())
        .map(Respond.then(link -> render(ctx, v, link, Html.empty())));
  }

  private Future<?> start(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    String user = Optional.ofNullable(ctx.request().getFormAttribute("slack_user")).orElse("");
    return linking()
        .start(v.principal(), user)
        .compose(x -> linking().current(v.principal()))
        .map(
            Respond.then(
                link ->
                    render(
                        ctx,
                        v,
                        link,
                        Html.of(
                            """
            <p>stint sent a code to the Slack member <code>{}</code> in a direct message.
            Type it here within ten minutes.</p>
            <form method="post" action="/ui/slack/link/confirm">{}
            <label>Code <input name="code" autocomplete="one-time-code" required></label>
            <button type="submit">Link</button></form>""",
                            user.strip(),
                            Layout.csrfField(v)))));
  }

  private Future<?> confirm(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    String code = Optional.ofNullable(ctx.request().getFormAttribute("code")).orElse("");
    if (code.isBlank() || code.length() > 32) {
      return Future.failedFuture(new StintException(ErrorCode.INVALID_REQUEST, "enter the code"));
    }
    return linking()
        .confirm(v.principal(), code)
        .map(Respond.then(link -> Respond.seeOther(ctx, "/ui/slack/link")));
  }

  private Future<?> unlink(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    return linking()
        .unlink(v.principal())
        .map(Respond.then(x -> Respond.seeOther(ctx, "/ui/slack/link")));
  }

  private static void render(
      RoutingContext ctx, Visitor v, Optional<SlackLinks.Link> link, Html next) {
    Html state =
        link.map(
                l ->
                    Html.of(
                        """
        <p>Your Slack account <code>{}</code> is linked: your clicks on request messages in
        Slack count as yours, judged on your identity as of your last sign-in here
        (<time>{}</time>).</p>
        <form method="post" action="/ui/slack/unlink">{}
        <button type="submit">Unlink</button></form>""",
                        l.userId(),
                        l.verifiedAt().toString(),
                        Layout.csrfField(v)))
            .orElse(
                Html.of(
                    "<p>Your Slack account is not linked: stint cannot send you your own"
                        + " messages there (your request approved or denied, your access ending"
                        + " or revoked), and your clicks on request messages do not count as"
                        + " yours.</p>"));
    Respond.html(
        ctx,
        200,
        Layout.page(
            Optional.of(v),
            "Slack",
            Html.of(
                """
        {}{}
        <form method="post" action="/ui/slack/link">{}
        <label>Your Slack member id <input name="slack_user" placeholder="U0123ABCD" required>
        </label> <button type="submit">Send me a code</button></form>
        <p class="muted">In Slack: your profile, the ⋮ menu, Copy member ID.</p>""",
                state,
                next,
                Layout.csrfField(v))));
  }
}
