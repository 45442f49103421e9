package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.stint.access.AccessUseCases;
import dev.stint.access.Caller;
import dev.stint.access.Decisions;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.common.ParameterValues;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Principal;
import dev.stint.ledger.CredentialState;
import dev.stint.ledger.DeniableSessions;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.RevocationReach;
import dev.stint.mint.Minters;
import dev.stint.mint.azure.AzureMinter;
import dev.stint.mint.azure.AzureSettings;
import dev.stint.mint.gcp.GcpConnections;
import dev.stint.mint.gcp.GcpMinter;
import dev.stint.mint.gcp.GcpSettings;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.PolicyLoader;
import dev.stint.signing.SigningKeys;
import dev.stint.signing.TokenSigner;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeEntra;
import dev.stint.testing.FakeGcp;
import dev.stint.testing.FakeHttpsEndpoint;
import dev.stint.testing.Patience;
import dev.stint.testing.PolicyFixtures;
import dev.stint.testing.RsaKeys;
import dev.stint.testing.TestJwtSigner;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestTls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GCP and Azure issuance through the credentials use case: real access service, audit log and
 * stint's own signer, the real Google and Azure client libraries against HTTPS fakes.
 */
class CloudIssuanceTest {
  static final String POLICY =
      """
      issuers:
        corp: {issuer: "https://idp.example.com", audience: stint}
      profiles:
        gcp-console:
          gcp: {service_account: console@acme-prod.iam.gserviceaccount.com, scopes: [cloud-platform]}
          max_duration: 45m
          requesters: 'true'
          approval: {count: 1, approvers: 'false', auto_approve: 'true'}
        gcp-viewer:
          gcp: {service_account: viewer@acme-prod.iam.gserviceaccount.com, scopes: [cloud-platform]}
          max_duration: 45m
          requesters: 'true'
          approval: {count: 1, approvers: 'false', auto_approve: 'true'}
        azure-strict:
          azure: {tenant_id: 11111111-2222-3333-4444-555555555555, client_id: 66666666-7777-8888-9999-000000000000, scope: "https://management.azure.com/.default"}
          max_duration: 30m
          requesters: 'true'
          approval: {count: 1, approvers: 'false', auto_approve: 'true'}
        azure-lenient:
          azure: {tenant_id: 11111111-2222-3333-4444-555555555555, client_id: 66666666-7777-8888-9999-000000000000, scope: "https://management.azure.com/.default", allow_lifetime_overrun: true}
          max_duration: 30m
          requesters: 'true'
          approval: {count: 1, approvers: 'false', auto_approve: 'true'}
        gcp-revocable:
          gcp: {service_account: revocable@acme-prod.iam.gserviceaccount.com}
          max_duration: 45m
          requesters: 'true'
          approval: {count: 1, approvers: 'false', auto_approve: 'true'}
        gcp-short:
          gcp: {service_account: shortlived@acme-prod.iam.gserviceaccount.com}
          max_duration: 45m
          max_token_lifetime: 10m
          requesters: 'true'
          approval: {count: 1, approvers: 'false', auto_approve: 'true'}
        azure-capped:
          azure: {tenant_id: 11111111-2222-3333-4444-555555555555, client_id: 66666666-7777-8888-9999-000000000000, scope: "https://management.azure.com/.default"}
          max_duration: 4h
          max_token_lifetime: 30m
          requesters: 'true'
          approval: {count: 1, approvers: 'false', auto_approve: 'true'}
        azure-capped-lenient:
          azure: {tenant_id: 11111111-2222-3333-4444-555555555555, client_id: 66666666-7777-8888-9999-000000000000, scope: "https://management.azure.com/.default", allow_lifetime_overrun: true}
          max_duration: 4h
          max_token_lifetime: 30m
          requesters: 'true'
          approval: {count: 1, approvers: 'false', auto_approve: 'true'}
        gcp-later:
          gcp: {service_account: narrowedlater@acme-prod.iam.gserviceaccount.com}
          max_duration: 45m
          requesters: 'true'
          approval: {count: 1, approvers: 'false', auto_approve: 'true'}
        gcp-narrowed:
          gcp:
            service_account: narrowed@acme-prod.iam.gserviceaccount.com
            access_boundary:
              accessBoundary:
                accessBoundaryRules:
                  - availableResource: '//storage.googleapis.com/projects/_/buckets/${bucket}'
                    availablePermissions: ['inRole:roles/storage.objectViewer']
          parameters:
            bucket: {pattern: '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]', description: The bucket}
          max_duration: 45m
          requesters: 'true'
          approval: {count: 1, approvers: 'false', auto_approve: 'true'}
        azure-capped-above-entra:
          azure: {tenant_id: 11111111-2222-3333-4444-555555555555, client_id: 66666666-7777-8888-9999-000000000000, scope: "https://management.azure.com/.default"}
          max_duration: 4h
          max_token_lifetime: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'false', auto_approve: 'true'}
      """;

  static Vertx vertx;
  static DatabaseUrl db;
  static Database pool;
  static Database auditPool;
  static TestTls tls;
  static FakeGcp google;
  static FakeEntra entra;
  static SigningKeys keys;
  static ExecutorService cloudCalls;
  static GcpConnections connections;
  static Issuance issuance;
  static ConsoleService console;
  static final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  static AccessUseCases access;
  static PolicyInForce policies;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    db = TestPostgres.migratedDatabase();
    pool = Database.connect(vertx, db, 4);
    auditPool = Database.connect(vertx, db, 2);
    tls = TestTls.create();
    google = new FakeGcp(tls, Clock.systemUTC());
    entra = new FakeEntra(tls).expiresIn(3600);
    Files.createDirectories(dir.resolve("policies"));
    Files.writeString(dir.resolve("policies/p.yaml"), POLICY);
    policies = new PolicyInForce(new PolicyLoader().load(dir.resolve("policies")));
    keys = RsaKeys.developmentKeyIn(dir.resolve("data"));
    TokenSigner signer =
        new TokenSigner(URI.create("https://stint.example.com"), keys, Clock.systemUTC());
    var audit =
        new GroupCommitAuditLog(
            vertx,
            auditPool.pool(),
            Clock.systemUTC(),
            new StintConfig.AuditConfig(Patience.AUDIT_COMMIT, 64));
    access =
        new AccessUseCases(
            new AccessUseCases.Footing(pool.pool(), pool.pipelined()),
            policies,
            audit,
            Clock.systemUTC());
    cloudCalls = Executors.newFixedThreadPool(4);
    connections =
        new GcpConnections(
            () ->
                GoogleCredentials.create(
                    new AccessToken(
                        "stint-adc-token", Date.from(Instant.now().plus(Duration.ofHours(1))))));
    GcpMinter gcp =
        new GcpMinter(
            new GcpSettings(
                google.uri(),
                google.uri(),
                Duration.ofSeconds(10),
                Optional.of(tls.clientContext())),
            connections,
            signer::sign,
            cloudCalls);
    AzureMinter azure =
        new AzureMinter(
            new AzureSettings(
                entra.uri(), Duration.ofSeconds(10), 0, Optional.of(tls.clientContext())),
            signer::sign,
            cloudCalls,
            Clock.systemUTC());
    Minters minters = new Minters(List.of(gcp, azure));
    issuance =
        new Issuance(
            access.grants(),
            policies,
            minters,
            new ReplayGuard(pool.pool()),
            new Issuance.Records(audit, new Ledger(pool.pool()), Clock.systemUTC()),
            meters);
    console = new ConsoleService(issuance, minters, policies, audit);
  }

  @AfterAll
  static void stop() throws Exception {
    google.close();
    entra.close();
    connections.close();
    cloudCalls.shutdownNow();
    pool.close();
    auditPool.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  static Caller caller(String user) {
    Principal p =
        new Principal(
            "corp",
            "https://idp.example.com",
            user,
            Optional.of(user + "@example.com"),
            List.of(),
            Map.of(),
            Instant.now().plus(Duration.ofHours(1)),
            Optional.empty());
    return new Caller(p, Optional.of("127.0.0.1"), Optional.of("test"));
  }

  static Future<Issued> credentials(Caller caller, String profile) {
    return issuance
        .issue(new CredentialAsk(caller, profile, Optional.empty(), IssuanceChannel.CREDENTIALS))
        .map(o -> ((Issuance.Outcome.Minted) o).issued());
  }

  /**
   * A narrowed GCP profile through the pipeline: its auto-approved grant keeps the bucket, and the
   * caller gets the token Google STS downscoped to exactly that bucket, never the account's own.
   */
  @Test
  void aNarrowedGcpGrantIsServedATokenDownscopedToItsBucket() throws Exception {
    Caller nadia = caller("nadia");
    ParameterValues bucket = ParameterValues.of(Map.of("bucket", "team-logs"));

    Issued issued =
        AuditTables.await(
            issuance
                .issue(
                    new CredentialAsk(
                        nadia,
                        "gcp-narrowed",
                        Optional.empty(),
                        IssuanceChannel.CREDENTIALS,
                        Optional.empty(),
                        bucket))
                .map(o -> ((Issuance.Outcome.Minted) o).issued()));

    String token = ((dev.stint.mint.AccessToken) issued.credential()).token();
    FakeGcp.Downscoped downscoped = google.downscoped(token).orElseThrow();
    assertThat(google.issuedBy(downscoped.subjectToken()))
        .isEqualTo(FakeGcp.Endpoint.GENERATE_ACCESS_TOKEN);
    assertThat(
            downscoped.accessBoundary().at("/accessBoundaryRules/0/availableResource").textValue())
        .isEqualTo("//storage.googleapis.com/projects/_/buckets/team-logs");
    assertThat(
            AuditTables.strings(
                db, "SELECT parameters->>'bucket' FROM grants WHERE principal_subject = 'nadia'"))
        .containsExactly("team-logs");
  }

  @Test
  void gcpTokensAreCappedAtTheGrantAndAuditedByFingerprint() throws Exception {
    Issued issued = AuditTables.await(credentials(caller("gina"), "gcp-viewer"));
    assertThat(issued.credential().cloud()).isEqualTo("gcp");
    String token = ((dev.stint.mint.AccessToken) issued.credential()).token();
    assertThat(google.issuedBy(token)).isEqualTo(FakeGcp.Endpoint.GENERATE_ACCESS_TOKEN);
    long lifetime =
        Long.parseLong(
            FakeGcp.json(generateFor("viewer@acme-prod.iam.gserviceaccount.com"))
                .path("lifetime")
                .asText()
                .replace("s", ""));
    assertThat(lifetime).isBetween(2690L, 2700L);
    assertThat(AuditTables.rowsAsText(db))
        .noneMatch(row -> row.contains(token))
        .anyMatch(row -> row.contains("access_token_sha256"));
  }

  @Test
  void everyIssuanceIsTimedByItsOutcomeAndEveryCloudCallByItsCloud() throws Exception {
    long issued = issuances("issued");
    long refused = issuances("refused");
    long gcpCalls = mints("gcp", "minted");
    long azureCalls = mints("azure", "minted") + mints("azure", "failed");

    AuditTables.await(credentials(caller("tim"), "gcp-viewer"));
    AuditTables.failure(credentials(caller("tim"), "no-such-profile"));

    assertThat(issuances("issued")).isEqualTo(issued + 1);
    assertThat(issuances("refused")).isEqualTo(refused + 1);
    assertThat(mints("gcp", "minted")).isEqualTo(gcpCalls + 1);
    assertThat(mints("azure", "minted") + mints("azure", "failed")).isEqualTo(azureCalls);
    assertThat(
            meters.get("stint.issuance").tags("channel", "ci", "outcome", "failed").timer().count())
        .as("every series exists before its first use")
        .isZero();
    assertThat(
            meters
                .get("stint.issuance")
                .tags("channel", "credentials", "outcome", "issued")
                .timer()
                .max(TimeUnit.MILLISECONDS))
        .isPositive();
  }

  @Test
  void anIssuanceThatCouldNotBeAnsweredCountsAsFailedNotRefused() {
    assertThat(
            IssuanceMetrics.OutcomeTag.of(
                new StintException(ErrorCode.UPSTREAM_UNAVAILABLE, "sts")))
        .isEqualTo(IssuanceMetrics.OutcomeTag.FAILED);
    assertThat(IssuanceMetrics.OutcomeTag.of(new StintException(ErrorCode.AUDIT_UNAVAILABLE, "db")))
        .isEqualTo(IssuanceMetrics.OutcomeTag.FAILED);
    assertThat(IssuanceMetrics.OutcomeTag.of(new IllegalStateException("bug")))
        .isEqualTo(IssuanceMetrics.OutcomeTag.FAILED);
    assertThat(IssuanceMetrics.OutcomeTag.of(StintException.forbidden("no grant")))
        .isEqualTo(IssuanceMetrics.OutcomeTag.REFUSED);
    assertThat(IssuanceMetrics.OutcomeTag.of(new StintException(ErrorCode.CONFLICT, "overrun")))
        .isEqualTo(IssuanceMetrics.OutcomeTag.REFUSED);
  }

  private static long issuances(String outcome) {
    return meters
        .get("stint.issuance")
        .tags("channel", "credentials", "outcome", outcome)
        .timer()
        .count();
  }

  private static long mints(String cloud, String outcome) {
    return meters
        .get("stint.issuance.mint")
        .tags("cloud", cloud, "outcome", outcome)
        .timer()
        .count();
  }

  @Test
  void aProfilesMaxTokenLifetimeCapsGcpTokens() throws Exception {
    Issued issued = AuditTables.await(credentials(caller("gus"), "gcp-short"));

    assertThat(
            FakeGcp.json(generateFor("shortlived@acme-prod.iam.gserviceaccount.com"))
                .path("lifetime")
                .asText())
        .isEqualTo("600s");
    assertThat(issued.credential().expiresAt())
        .isBefore(Instant.now().plus(Duration.ofMinutes(11)));
  }

  @Test
  void revokingAGcpGrantSaysItsTokensLiveUntilTheyExpire() throws Exception {
    Caller holder = caller("gwen");
    Issued issued = AuditTables.await(credentials(holder, "gcp-revocable"));
    String request =
        AuditTables.await(
                access.grants().activeGrant(holder, "gcp-revocable", ParameterValues.NONE))
            .orElseThrow()
            .requestId();

    Decisions.Revoked revoked =
        AuditTables.await(access.decisions().revoke(holder, request, Optional.empty()));

    RevocationReach reach = revoked.reach();
    assertThat(reach.cloud()).contains("gcp");
    assertThat(reach.live()).isEqualTo(RevocationReach.Live.UNTIL_EXPIRY);
    assertThat(reach.latestExpiry()).contains(issued.credential().expiresAt());
    assertThat(reach.note(revoked.request().updatedAt()))
        .startsWith("Google and Entra access tokens cannot be revoked")
        .contains("the last issued expires at " + issued.credential().expiresAt());
    assertThat(
            AuditTables.strings(
                db,
                "SELECT cloud || ' ' || details::text FROM audit_events"
                    + " WHERE type = 'grant.revoked' AND request_id = '"
                    + request
                    + "'"))
        .singleElement()
        .satisfies(
            row ->
                assertThat(row)
                    .startsWith("gcp ")
                    .contains("\"live_credentials\": \"until_expiry\"")
                    .contains("the last issued expires at " + issued.credential().expiresAt()));
    // The ledger keeps the token as minted: live, and not something any revoke can end.
    String grant = revoked.request().grant().orElseThrow().id();
    assertThat(AuditTables.await(new Ledger(pool.pool()).ofGrant(grant)))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.entry().receipt().revocable()).isFalse();
              assertThat(c.stateAt(Instant.now())).isEqualTo(CredentialState.LIVE);
            });
    assertThat(AuditTables.await(new DeniableSessions(pool.pool()).ofGrant(grant, Instant.now())))
        .isEmpty();
  }

  @Test
  void aConsoleLinkForACloudWithoutASignInIsRefusedAndAuditedBeforeAnythingIsMinted()
      throws Exception {
    Throwable refused =
        AuditTables.failure(
            console.link(caller("col"), "gcp-console", ConsoleLanding.HOME, ParameterValues.NONE));

    assertThat(console.offers("gcp-console")).isFalse();
    assertThat(refused).isInstanceOf(StintException.class);
    assertThat(((StintException) refused).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refused.getMessage())
        .isEqualTo("profile gcp-console is a gcp profile: stint has no console sign-in for gcp");
    assertThat(
            google.calls(
                c ->
                    c.path().contains(":generateAccessToken")
                        && FakeGcp.serviceAccount(c)
                            .equals("console@acme-prod.iam.gserviceaccount.com")))
        .isEmpty();
    assertThat(
            AuditTables.strings(
                db,
                "SELECT type || ' ' || outcome || ' ' || reason FROM audit_events"
                    + " WHERE actor_subject = 'col'"))
        .containsExactly(
            "credential.denied refused console link: profile gcp-console is a gcp profile:"
                + " stint has no console sign-in for gcp");
  }

  /**
   * A narrowed profile asked for without its values: the auto-approval files no request, its
   * credentials are refused on the record, and the whole service account is never reached.
   */
  @Test
  void aNarrowedProfileAskedWithoutItsValuesIsRefusedAndGoogleIsNotCalled() throws Exception {
    Throwable refused = AuditTables.failure(credentials(caller("nell"), "gcp-narrowed"));

    assertThat(refused).isInstanceOf(StintException.class);
    assertThat(((StintException) refused).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(refused.getMessage())
        .contains("parameters of profile 'gcp-narrowed': bucket: no value given");
    assertThat(
            google.calls(
                c ->
                    c.path().contains(":generateAccessToken")
                        && FakeGcp.serviceAccount(c)
                            .equals("narrowed@acme-prod.iam.gserviceaccount.com")))
        .isEmpty();
    assertThat(AuditTables.count(db, "actor_subject = 'nell' AND outcome = 'refused'"))
        .isPositive();
  }

  /**
   * A grant whose profile became narrowed after it was approved: minting on it is refused too, on
   * the record, and nothing more reaches Google than the first, whole-account token.
   */
  @Test
  void aGrantWhoseProfileBecameNarrowedIsServedNoMore() throws Exception {
    AuditTables.await(credentials(caller("lars"), "gcp-later"));
    Policy before = policies.current();
    String later =
        "  gcp-later:\n"
            + "    gcp: {service_account: narrowedlater@acme-prod.iam.gserviceaccount.com}\n";
    String narrowed =
        "  gcp-later:\n"
            + "    gcp:\n"
            + "      service_account: narrowedlater@acme-prod.iam.gserviceaccount.com\n"
            + "      access_boundary:\n"
            + "        accessBoundary:\n"
            + "          accessBoundaryRules:\n"
            + "            - availableResource:"
            + " '//storage.googleapis.com/projects/_/buckets/${bucket}'\n"
            + "              availablePermissions: ['inRole:roles/storage.objectViewer']\n"
            + "    parameters:\n"
            + "      bucket: {pattern: '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]', description: B}\n";
    assertThat(POLICY).contains(later);
    policies.replace(PolicyFixtures.load(POLICY.replace(later, narrowed)));
    try {
      Throwable refused = AuditTables.failure(credentials(caller("lars"), "gcp-later"));

      assertThat(((StintException) refused).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(refused.getMessage())
          .contains("parameters of profile 'gcp-later': bucket: no value given");
      generateFor("narrowedlater@acme-prod.iam.gserviceaccount.com");
    } finally {
      policies.replace(before);
    }
  }

  /** The one generateAccessToken call for this service account (each test uses its own). */
  private static FakeHttpsEndpoint.Call generateFor(String serviceAccount) {
    List<FakeHttpsEndpoint.Call> calls =
        google.calls(
            c ->
                c.path().contains(":generateAccessToken")
                    && FakeGcp.serviceAccount(c).equals(serviceAccount));
    assertThat(calls).hasSize(1);
    return calls.get(0);
  }

  @Test
  void anEntraTokenLongerThanMaxTokenLifetimeIsRefusedLikeAnOverrunUnlessAllowed()
      throws Exception {
    Throwable refused = AuditTables.failure(credentials(caller("cap"), "azure-capped"));
    assertThat(refused)
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
              assertThat(e.detail()).contains("max_token_lifetime", "allow_lifetime_overrun");
            });
    assertThat(AuditTables.count(db, "type = 'credential.denied' AND actor_subject = 'cap'"))
        .isEqualTo(1);

    Issued lenient = AuditTables.await(credentials(caller("cap"), "azure-capped-lenient"));
    assertThat(lenient.credential().expiresAt())
        .isAfter(Instant.now().plus(Duration.ofMinutes(50)));
    Issued within = AuditTables.await(credentials(caller("cap"), "azure-capped-above-entra"));
    assertThat(within.credential().cloud()).isEqualTo("azure");
  }

  @Test
  void azureAssertionsAreSignedByStintAndOverrunsAreRefusedUnlessAllowed() throws Exception {
    Throwable refused = AuditTables.failure(credentials(caller("ari"), "azure-strict"));
    assertThat(refused)
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    assertThat(AuditTables.count(db, "type = 'credential.denied' AND actor_subject = 'ari'"))
        .isEqualTo(1);

    Issued issued = AuditTables.await(credentials(caller("ari"), "azure-lenient"));
    assertThat(issued.credential().cloud()).isEqualTo("azure");
    assertThat(issued.credential().expiresAt()).isAfter(Instant.now());
    String assertion = entra.calls().get(entra.calls().size() - 1).form("client_assertion");
    JWTClaimsSet claims = TestJwtSigner.verify(assertion, keys.publicJwkSet());
    assertThat(claims.getIssuer()).isEqualTo("https://stint.example.com");
    assertThat(claims.getAudience()).containsExactly(AzureMinter.AUDIENCE);
    assertThat(claims.getSubject()).isEqualTo("profile:azure-lenient");
  }
}
