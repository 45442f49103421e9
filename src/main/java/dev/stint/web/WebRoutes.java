package dev.stint.web;

import dev.stint.access.Approvers;
import dev.stint.access.Bundles;
import dev.stint.access.Decisions;
import dev.stint.access.Requests;
import dev.stint.activity.GrantActivity;
import dev.stint.agent.AgentDesk;
import dev.stint.audit.AuditLog;
import dev.stint.audit.AuditViews;
import dev.stint.error.StintException;
import dev.stint.extension.Extensions;
import dev.stint.finding.FindingReading;
import dev.stint.http.EventStreams;
import dev.stint.http.RouteModule;
import dev.stint.identity.Directory;
import dev.stint.identity.JwksCache;
import dev.stint.identity.OidcTokenVerifier;
import dev.stint.issuance.ConsoleService;
import dev.stint.lease.LeaseViews;
import dev.stint.lease.Leasing;
import dev.stint.ledger.Ledger;
import dev.stint.notify.slack.SlackLinking;
import dev.stint.people.PeopleSeen;
import dev.stint.policy.PolicyInForce;
import dev.stint.review.Reviewing;
import dev.stint.revocation.RevocationStatus;
import dev.stint.rightsize.Suggestions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The web pages under {@code /ui}: sign-in, the requester's, approver's, reviewer's and auditor's
 * pages; {@code GET /} redirects there. Every page is served through the {@link WebGuard} and built
 * on the same use cases as the JSON API, so the rules (who may request, approve, revoke, read the
 * audit) are the API's.
 */
public final class WebRoutes implements RouteModule {
  private final Vertx vertx;
  private final WebGuard guard;
  private final SignIn signIn;
  private final RequestPages requests;
  private final ApprovalPages approvals;
  private final ExtensionPages extensions;
  private final AuditPages audit;
  private final SlackLinkPages slack;
  private final LeasePages leases;
  private final ReviewPages reviews;
  private final FindingPages findings;
  private final SuggestionPage suggestions;
  private final AgentPages agents;
  private final StaticFiles files = new StaticFiles();

  /** The use cases the pages call, and the caps the live audit stream shares with the API. */
  public record Services(
      Requests requests,
      Decisions decisions,
      Extensions extensions,
      ConsoleService console,
      AuditViews audit,
      AuditLog auditLog,
      EventStreams streams,
      Optional<SlackLinking> slack,
      PeopleSeen people,
      Approvers approvers,
      Bundles bundles,
      RevocationStatus revocations,
      GrantActivity activity,
      Directory directory,
      Leasing leases,
      LeaseViews leaseViews,
      Reviewing reviews,
      FindingReading findings,
      AgentDesk agents,
      Suggestions suggestions) {}

  /**
   * What the pages run on: the event loop, the database their sessions live in, and the HTTP client
   * and key cache that sign-in uses to reach the identity provider.
   */
  public record Platform(Vertx vertx, Pool pool, WebClient http, JwksCache keys) {}

  public WebRoutes(
      Platform platform,
      Services services,
      PolicyInForce policies,
      WebSettings settings,
      Clock clock) {
    this.vertx = platform.vertx();
    WebSessions sessions = new WebSessions(platform.pool());
    this.guard =
        new WebGuard(
            sessions,
            policies,
            services.directory(),
            services.auditLog(),
            settings.publicUrl(),
            clock,
            services.slack().isPresent());
    this.signIn = signIn(platform, services, policies, settings, sessions, clock);
    this.slack = new SlackLinkPages(services.slack());
    this.extensions = new ExtensionPages(services.extensions(), policies, clock);
    this.requests = requestPages(platform, services, policies, extensions, clock);
    this.leases =
        new LeasePages(
            services.leases(),
            services.leaseViews(),
            services.requests(),
            services.activity(),
            services.findings(),
            clock);
    this.findings = new FindingPages(services.findings(), clock);
    this.suggestions = new SuggestionPage(services.suggestions(), clock);
    this.agents = new AgentPages(services.agents(), clock);
    this.reviews = new ReviewPages(services.reviews(), services.suggestions(), policies, clock);
    this.approvals = new ApprovalPages(services.requests(), services.bundles(), extensions, clock);
    this.audit = new AuditPages(services.audit(), policies, sessions, guard, services.streams());
  }

  /**
   * Sign-in against the policy's web issuer, its ID tokens verified as API tokens are; each
   * verified sign-in refreshes the person's seen claims and, with Slack, their link's.
   */
  private static SignIn signIn(
      Platform platform,
      Services services,
      PolicyInForce policies,
      WebSettings settings,
      WebSessions sessions,
      Clock clock) {
    OidcTokenVerifier verifier =
        new OidcTokenVerifier(
            () -> WebIssuer.of(policies.current()).map(List::of).orElse(List.of()),
            platform.keys(),
            clock);
    return new SignIn(
        sessions,
        new WebIdp(policies, new OidcClient(platform.http(), clock), verifier),
        services.auditLog(),
        services.directory(),
        settings,
        clock,
        p ->
            Future.join(
                    services.people().signedIn(p),
                    services.slack().map(s -> s.signedIn(p)).orElse(Future.succeededFuture()))
                .mapEmpty());
  }

  /** The requester's pages, with the sections of a request page the other pages share. */
  private static RequestPages requestPages(
      Platform platform,
      Services services,
      PolicyInForce policies,
      ExtensionPages extensions,
      Clock clock) {
    return new RequestPages(
        new RequestPagePorts(
            services.requests(),
            services.decisions(),
            services.approvers(),
            services.bundles(),
            services.console(),
            services.audit(),
            policies),
        new RequestPageSections(
            extensions,
            new IssuedSection(new Ledger(platform.pool()), services.revocations(), clock),
            new ActivitySection(services.activity()),
            new LeaseSection(services.leaseViews(), policies, clock),
            services.findings()),
        clock);
  }

  /**
   * Every page is on a {@code /ui} sub-router whose first handler is the guard (security headers,
   * session, CSRF), so a page cannot be added in front of it; the guard itself lets the sign-in
   * pages and static files through.
   */
  @Override
  public void register(Router router) {
    // A browser pointed at the server's address lands on the pages. Only GET: any other method
    // on "/" stays the API's 404, as before (JSON clients never ask for "/").
    router
        .route("/")
        .handler(
            ctx -> {
              if (HttpMethod.GET.equals(ctx.request().method())) {
                ctx.response().setStatusCode(302).putHeader("Location", "/ui").end();
              } else {
                ctx.next();
              }
            });
    Router ui = Router.router(vertx);
    ui.route().handler(guard::handle);
    ui.get("/static/:file").handler(files::serve);
    ui.get("/login").handler(ctx -> Respond.page(ctx, signIn::login));
    ui.get("/callback").handler(ctx -> Respond.page(ctx, signIn::callback));
    ui.post("/logout").handler(ctx -> Respond.page(ctx, signIn::logout));
    extensions.register(ui, requests::show);
    requests.register(ui);
    approvals.register(ui);
    audit.register(ui);
    slack.register(ui);
    leases.register(ui);
    reviews.register(ui);
    findings.register(ui);
    suggestions.register(ui);
    agents.register(ui);
    // Last: an unknown page under /ui is an HTML 404 (the visitor is signed in by now).
    ui.route()
        .handler(
            ctx ->
                Respond.failure(
                    ctx, StintException.notFound("no such page: " + ctx.request().path())));
    router.route("/ui/*").subRouter(ui);
  }
}
