package dev.stint.app;

import dev.stint.activity.ProfileCalls;
import dev.stint.activity.UnusedGrants;
import dev.stint.agent.AgentNeeds;
import dev.stint.agent.Agents;
import dev.stint.audit.AuditLog;
import dev.stint.audit.AuditViews;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.directory.ActiveUsers;
import dev.stint.directory.DirectoryView;
import dev.stint.http.ActivityRoutes;
import dev.stint.http.AdminRoutes;
import dev.stint.http.AgentAskRoutes;
import dev.stint.http.AgentRoutes;
import dev.stint.http.AgentTokenKind;
import dev.stint.http.Api;
import dev.stint.http.ApiModule;
import dev.stint.http.AuditRoutes;
import dev.stint.http.Authentication;
import dev.stint.http.CheckpointKeyRoutes;
import dev.stint.http.ClientAddresses;
import dev.stint.http.CredentialRoutes;
import dev.stint.http.CursorSeal;
import dev.stint.http.EligibilityReport;
import dev.stint.http.EventStreams;
import dev.stint.http.ExtensionRoutes;
import dev.stint.http.GrantViews;
import dev.stint.http.HealthRoutes;
import dev.stint.http.IdentityRoutes;
import dev.stint.http.IssuedRoutes;
import dev.stint.http.IssuerRoutes;
import dev.stint.http.LeaseRoutes;
import dev.stint.http.LeaseTokenKind;
import dev.stint.http.PolicyAuditorGate;
import dev.stint.http.ProfileRoutes;
import dev.stint.http.ReadinessCheck;
import dev.stint.http.ReportRoutes;
import dev.stint.http.RequestRoutes;
import dev.stint.http.ReviewRoutes;
import dev.stint.http.RouteModule;
import dev.stint.http.SuggestionRoutes;
import dev.stint.identity.JwksCache;
import dev.stint.identity.MatchClaim;
import dev.stint.identity.OidcTokenVerifier;
import dev.stint.identity.TokenVerifier;
import dev.stint.lease.LeaseAsking;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerReach;
import dev.stint.policy.IssuerConfig;
import dev.stint.policy.PolicyInForce;
import dev.stint.revocation.RevocationStatus;
import dev.stint.rightsize.IamActions;
import dev.stint.rightsize.Suggestions;
import dev.stint.signing.CheckpointKeyring;
import dev.stint.signing.SigningKeys;
import dev.stint.signing.TokenSigner;
import dev.stint.web.WebRoutes;
import dev.stint.web.WebSettings;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The server's HTTP surface: what its main listener serves, in order — client addresses, health,
 * metrics (unless they have a listener of their own), stint's issuer documents, sign-in, Slack, the
 * CloudTrail ingest and the SCIM directory, then the authenticated {@code /v1} API and the pages
 * under {@code /ui}. Built from what the boot stages provide; it starts nothing itself.
 */
final class ServerRoutes {
  /** The signing keys and the token signer that publishes them. */
  record Keys(SigningKeys signing, CheckpointKeyring checkpoints, TokenSigner signer) {}

  /** The runtime the parts share: Vert.x, the pool, the meters, the outbound HTTP client. */
  record Platform(
      Vertx vertx, Database database, WebClient web, JwksCache jwks, DirectoryView directory) {}

  /** The use cases, wired. */
  record Services(
      AccessWiring access,
      SlackWiring slack,
      IssuanceWiring issuance,
      ActivityWiring activity,
      DirectoryWiring directory,
      ReviewWiring reviews) {}

  /** The audit as the API and the pages read it, and what readiness checks. */
  record AuditSide(AuditViews views, CursorSeal cursors, List<ReadinessCheck> checks) {}

  private final StintConfig config;
  private final Clock clock;
  private final PolicyInForce policies;
  private final AuditLog audit;

  ServerRoutes(StintConfig config, Clock clock, PolicyInForce policies, AuditLog audit) {
    this.config = config;
    this.clock = clock;
    this.policies = policies;
    this.audit = audit;
  }

  /** The main listener's modules; {@code metrics} is there when it has no listener of its own. */
  List<RouteModule> mainListener(
      Keys keys, Platform platform, Services services, AuditSide side, RouteModule metrics) {
    IdentityRoutes identity = new IdentityRoutes(policies);
    EventStreams streams = EventStreams.of(config.http(), clock);
    RevocationStatus revocations =
        new RevocationStatus(
            new LedgerReach(new Ledger(platform.database().pool())), platform.database().pool());
    Agents agents = agents(platform, services);
    return List.of(
        new ClientAddresses(config.trustedProxies()),
        new HealthRoutes(side.checks()),
        metrics,
        new IssuerRoutes(keys.signer(), keys.signing()),
        new CheckpointKeyRoutes(keys.checkpoints().published()),
        identity.login(),
        services.slack().routes(),
        services.activity().routes(),
        services.directory().routes(),
        new Api(
            platform.vertx(),
            authentication(platform, services, agents),
            api(platform, services, side, identity, streams, revocations, agents)),
        web(platform, services, side, streams, revocations, agents));
  }

  /** Every {@code /v1} route needs a verified token from an issuer trusted for its use. */
  private Authentication authentication(Platform platform, Services services, Agents agents) {
    TokenVerifier verifier =
        new OidcTokenVerifier(() -> policies.current().issuers().values(), platform.jwks(), clock);
    return new Authentication(
        verifier,
        p -> policies.current().issuer(p.issuerName()).map(IssuerConfig::uses).orElse(Set.of()),
        audit,
        services.directory().admission(),
        p -> services.access().people().called(p),
        List.of(
            new LeaseTokenKind(services.access().leases().bearers()),
            new AgentTokenKind(agents.bearers())));
  }

  /**
   * Enrolled agents, one for the whole server (their asks' pace is its own): they ask for task
   * leases, and end them as stint ends a lease.
   */
  private Agents agents(Platform platform, Services services) {
    return new Agents(
        new AgentNeeds(
            services.access().service().requests(),
            new LeaseAsking(services.access().leases(), platform.database().pool()),
            services.access().leases().asStint(),
            policies,
            services.directory().admission()),
        platform.database().pool(),
        audit,
        clock);
  }

  private List<ApiModule> api(
      Platform platform,
      Services services,
      AuditSide side,
      IdentityRoutes identity,
      EventStreams streams,
      RevocationStatus revocations,
      Agents agents) {
    AccessWiring access = services.access();
    IssuanceWiring issuance = services.issuance();
    return List.of(
        identity,
        new ProfileRoutes(policies, clock, config.clouds().awsAccessPortal()),
        new SuggestionRoutes(suggestions(platform), clock),
        new RequestRoutes(
            access.service().requests(),
            access.service().decisions(),
            access.bundles(),
            access.approvers(),
            side.cursors(),
            new GrantViews(revocations, issuance.assignmentStates()),
            clock),
        new IssuedRoutes(access.service().grants(), new Ledger(platform.database().pool()), clock),
        new ActivityRoutes(access.service().requests(), services.activity().view()),
        services.activity().findings().routes(),
        new ExtensionRoutes(access.extensions().extensions(), side.cursors()),
        new CredentialRoutes(
            issuance.issuance(),
            issuance.ciRequests(),
            issuance.console(),
            clock,
            Optional.of(issuance.leaseIssuance())),
        new LeaseRoutes(
            access.leases().leasing(), access.leases().views(), services.activity().view(), clock),
        new AgentRoutes(agents.desk(), clock),
        new AgentAskRoutes(
            agents.asking(),
            access.leases().views(),
            services.activity().view(),
            policies,
            config.publicUrl(),
            clock),
        new AuditRoutes(
            side.views(),
            new PolicyAuditorGate(policies, platform.directory(), clock),
            clock,
            streams),
        new ReportRoutes(
            new UnusedGrants(platform.database().pool(), services.activity().push()),
            new EligibilityReport(
                platform.vertx(),
                new ActiveUsers(platform.database().pool()),
                policies::current,
                config.directory()::issuer,
                new MatchClaim(config.directory().matchClaim()),
                platform.directory(),
                clock),
            new PolicyAuditorGate(policies, platform.directory(), clock),
            clock),
        new ReviewRoutes(services.reviews().reviews()),
        new AdminRoutes(access.service().decisions()));
  }

  /** Right-sizing from evidence, from the rows the activity keeps per profile. */
  private Suggestions suggestions(Platform platform) {
    return new Suggestions(
        new ProfileCalls(platform.database().pool()),
        IamActions.published(),
        policies,
        audit,
        clock);
  }

  private WebRoutes web(
      Platform platform,
      Services services,
      AuditSide side,
      EventStreams streams,
      RevocationStatus revocations,
      Agents agents) {
    AccessWiring access = services.access();
    return new WebRoutes(
        new WebRoutes.Platform(
            platform.vertx(), platform.database().pool(), platform.web(), platform.jwks()),
        new WebRoutes.Services(
            access.service().requests(),
            access.service().decisions(),
            access.extensions().extensions(),
            services.issuance().console(),
            side.views(),
            audit,
            streams,
            services.slack().linking(),
            access.people(),
            access.approvers(),
            access.bundles(),
            revocations,
            services.activity().view(),
            services.directory().admission(),
            access.leases().leasing(),
            access.leases().views(),
            services.reviews().reviews(),
            services.activity().findings().service().reading(),
            agents.desk(),
            suggestions(platform)),
        policies,
        new WebSettings(config.publicUrl(), config.web().sessionTtl(), config.web().clientSecret()),
        clock);
  }
}
