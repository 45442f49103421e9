package dev.stint.web;

import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.Requests;
import dev.stint.activity.GrantActivity;
import dev.stint.common.FilledDocument;
import dev.stint.common.TextLimits;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.finding.Finding;
import dev.stint.finding.FindingReading;
import dev.stint.lease.Lease;
import dev.stint.lease.LeaseShown;
import dev.stint.lease.LeaseViews;
import dev.stint.lease.Leasing;
import dev.stint.ledger.LedgerCredential;
import dev.stint.policy.LeaseRights;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A task lease's page {@code /ui/leases/{id}}: intent → policy → credential → calls → end on one
 * page (its task and holder, the policy its credentials carry, the credentials minted on it, the
 * findings on their calls, the calls they made with those findings name marked, and how it ended),
 * for whoever may see its request; and its Revoke form, shown to those who may revoke the grant,
 * whose POST revokes the lease alone. Never its token.
 */
final class LeasePages {
  private final Leasing leases;
  private final LeaseViews views;
  private final Requests requests;
  private final GrantActivity activity;
  private final FindingReading findings;
  private final Clock clock;

  LeasePages(
      Leasing leases,
      LeaseViews views,
      Requests requests,
      GrantActivity activity,
      FindingReading findings,
      Clock clock) {
    this.leases = leases;
    this.views = views;
    this.requests = requests;
    this.activity = activity;
    this.findings = findings;
    this.clock = clock;
  }

  void register(Router ui) {
    ui.get("/leases/:id").handler(ctx -> Respond.page(ctx, this::show));
    ui.post("/leases/:id/revoke").handler(ctx -> Respond.page(ctx, this::revoke));
    ui.post("/leases/:id/approve")
        .handler(ctx -> Respond.page(ctx, c -> decide(c, Action.APPROVE)));
    ui.post("/leases/:id/deny").handler(ctx -> Respond.page(ctx, c -> decide(c, Action.DENY)));
  }

  /** The lease with its credentials, its request, the calls of its credentials, its findings. */
  private record Read(LeaseShown shown, GrantActivity.View calls, List<Finding> found) {}

  private Future<?> show(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Caller caller = v.caller(ctx);
    Optional<String> cursor = ActivitySection.cursor(ctx);
    return views
        .get(caller, ctx.pathParam("id"))
        .compose(shown -> read(caller, shown, cursor))
        .map(
            Respond.then(
                read -> {
                  Lease l = read.shown().lease();
                  Instant now = clock.instant();
                  boolean mayRevoke =
                      l.liveAt(now)
                          && LeaseRights.mayRevoke(
                                  requests.rights(caller, read.shown().request()), l.id())
                              .allowed();
                  Respond.html(
                      ctx,
                      200,
                      Layout.page(
                          Optional.of(v),
                          "Lease " + l.id(),
                          page(
                              read.shown(),
                              Html.of(
                                  "{}{}",
                                  FindingSection.of(read.found(), true),
                                  ActivitySection.sectionOn(
                                      "/ui/leases/" + l.id(),
                                      read.calls(),
                                      cursor.isPresent(),
                                      FindingSection.flagged(read.found()))),
                              l.state() == Lease.State.PENDING
                                      && now.isBefore(l.window().expiresAt())
                                  ? voteForm(v, l)
                                  : mayRevoke
                                      ? revokeForm(v, l)
                                      : Html.of(
                                          "<p class=\"muted\">Nothing you can do to this lease"
                                              + " now.</p>"),
                              now)));
                }));
  }

  private Future<Read> read(Caller caller, LeaseShown shown, Optional<String> cursor) {
    Lease l = shown.lease();
    Future<List<Finding>> found = findings.ofLease(caller, l.id());
    List<String> ids = shown.credentials().stream().map(c -> c.entry().id()).toList();
    return activity
        .ofCredentials(l.requestId(), ids, cursor)
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof StintException se && se.code() == ErrorCode.INVALID_REQUEST
                        ? StintException.invalid(
                            ActivitySection.CURSOR + " is not one this page gave")
                        : e))
        .compose(calls -> found.map(fs -> new Read(shown, calls, fs)));
  }

  /** Revokes the lease (the lease service checks who may), then back to its page. */
  private Future<?> revoke(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Optional<String> comment = PostedForm.field(ctx, "comment");
    if (comment.map(c -> c.length() > TextLimits.MAX_TEXT).orElse(false)) {
      throw StintException.invalid("comment is longer than " + TextLimits.MAX_TEXT + " characters");
    }
    return leases
        .revoke(v.caller(ctx), ctx.pathParam("id"), comment)
        .onSuccess(l -> Respond.seeOther(ctx, "/ui/leases/" + l.id()));
  }

  /** The page's body: {@code actions} is the Revoke form, or why there is none. */
  static Html page(LeaseShown shown, Html calls, Html actions, Instant now) {
    Lease l = shown.lease();
    return Html.of(
        """
        <dl class="facts">
        <dt>Task</dt><dd class="reason">{}</dd>
        <dt>Request</dt><dd><a href="/ui/requests/{}">{}</a> ({})</dd>
        <dt>Holder</dt><dd>{}</dd>
        <dt>Minted by</dt><dd>{}</dd>
        <dt>Created</dt><dd>{}</dd>
        <dt>Expires</dt><dd>{}</dd>
        <dt>State</dt><dd>{}</dd>
        {}
        </dl>
        <section aria-labelledby="pol-h"><h2 id="pol-h">Policy</h2>{}</section>
        <section aria-labelledby="crd-h"><h2 id="crd-h">Credentials minted</h2>{}</section>
        {}
        <section aria-labelledby="act-h"><h2 id="act-h">Actions</h2>{}</section>""",
        l.task(),
        l.requestId(),
        l.requestId(),
        l.profile(),
        Show.person(l.holder()),
        LeaseSection.mintedBy(l),
        Show.time(l.window().createdAt()),
        Show.time(l.window().expiresAt()),
        l.stateAt(now),
        l.end()
            .map(
                e ->
                    Html.of(
                        "<dt>Ended</dt><dd>{} by {}</dd>", Show.time(e.at()), Show.person(e.by())))
            .orElse(Html.empty()),
        l.narrowing().policy().map(LeasePages::policy).orElse(grantsPolicy()),
        credentials(shown.credentials(), now),
        calls,
        actions);
  }

  private static Html policy(FilledDocument d) {
    return Html.of(
        """
        <p>Its credentials carry this policy, proven within the grant's when the lease was made \
        (SHA-256 <code class="sha">{}</code>):</p>
        <pre class="policy">{}</pre>""",
        d.sha256(),
        d.pretty());
  }

  private static Html grantsPolicy() {
    return Html.of("<p class=\"muted\">The grant's own: the lease names no narrower policy.</p>");
  }

  private static Html credentials(List<LedgerCredential> minted, Instant now) {
    if (minted.isEmpty()) {
      return Html.of("<p class=\"muted\">None minted on this lease.</p>");
    }
    return Html.of(
        "<div class=\"scroll\"><table class=\"cards\"><thead><tr><th>Credential</th>"
            + "<th>Key</th><th>Issued</th><th>Expires</th><th>State</th></tr></thead>"
            + "<tbody>{}</tbody></table></div>",
        Html.each(
            minted,
            c ->
                Html.of(
                    "<tr><td class=\"id\" data-label=\"Credential\">{}</td>"
                        + "<td class=\"id\" data-label=\"Key\">{}</td>"
                        + "<td data-label=\"Issued\">{}</td><td data-label=\"Expires\">{}</td>"
                        + "<td data-label=\"State\">{}</td></tr>",
                    c.entry().id(),
                    c.entry().receipt().accessKeyId().orElse(""),
                    Show.time(c.issuedAt()),
                    Show.time(c.entry().receipt().expiresAt()),
                    c.stateAt(now).code())));
  }

  /** Approves or denies a lease that waits (the lease service checks who may), then its page. */
  private Future<?> decide(RoutingContext ctx, Action action) {
    Visitor v = Visitor.of(ctx);
    return leases
        .decide(v.caller(ctx), ctx.pathParam("id"), action, Optional.empty())
        .onSuccess(l -> Respond.seeOther(ctx, "/ui/leases/" + l.id()));
  }

  /**
   * Approve and Deny for a lease that waits: its holder's, for one an enrolled agent asked, or its
   * grant's approvers' where its profile asks a vote. Anyone else is refused when they click.
   */
  private static Html voteForm(Visitor v, Lease l) {
    return Html.of(
        """
        <p>{}. Approve only what its task needs: its policy is above.</p>
        <form method="post" action="/ui/leases/{}/approve" class="inline">{}
        <button type="submit">Approve lease</button></form>
        <form method="post" action="/ui/leases/{}/deny" class="inline">{}
        <button type="submit" class="revoke">Deny lease</button></form>""",
        l.askedBy().map(Lease.AskedBy::label).orElse("This lease waits for a vote"),
        l.id(),
        Layout.csrfField(v),
        l.id(),
        Layout.csrfField(v));
  }

  private static Html revokeForm(Visitor v, Lease l) {
    return Html.of(
        """
        <form method="post" action="/ui/leases/{}/revoke" class="inline">{}
        <label for="lease-comment">Comment</label>
        <input id="lease-comment" name="comment" maxlength="{}">
        <button type="submit" class="revoke">Revoke lease</button></form>
        <p class="muted">Ends this lease's credentials only; the grant and its other credentials \
        stay.</p>""",
        l.id(),
        Layout.csrfField(v),
        TextLimits.MAX_TEXT);
  }
}
