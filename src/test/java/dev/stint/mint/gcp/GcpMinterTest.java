package dev.stint.mint.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.stint.cloud.GcpTarget;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.mint.IssuedUnder;
import dev.stint.mint.MintException;
import dev.stint.mint.MintOrder;
import dev.stint.testing.FakeGcp;
import dev.stint.testing.FakeGcp.Endpoint;
import dev.stint.testing.FakeGcp.Failure;
import dev.stint.testing.FakeHttpsEndpoint.Call;
import dev.stint.testing.Patience;
import dev.stint.testing.TestJwtSigner;
import dev.stint.testing.TestTls;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real google-auth-library (ImpersonatedCredentials, IdentityPoolCredentials) against a local
 * HTTPS IAM Credentials + STS fake that records what it received.
 */
class GcpMinterTest {
  private static final String SA = "viewer@prod-123.iam.gserviceaccount.com";
  private static final String PROVIDER =
      "//iam.googleapis.com/projects/123456789/locations/global/"
          + "workloadIdentityPools/stint/providers/stint";
  private static final String ADC_TOKEN = "stint-adc-token";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
  private static TestTls tls;

  private FakeGcp google;
  private ExecutorService executor;
  private GcpConnections connections;
  private TestJwtSigner signer;
  private GcpMinter minter;

  @BeforeAll
  static void certificate() {
    tls = TestTls.create();
  }

  @BeforeEach
  void start() {
    google = new FakeGcp(tls, CLOCK);
    executor = Executors.newCachedThreadPool();
    signer = new TestJwtSigner(CLOCK);
    // A real credential of stint's own, good for an hour of wall-clock time (the library checks
    // its expiry against the system clock before using it).
    connections =
        new GcpConnections(
            () ->
                GoogleCredentials.create(
                    new AccessToken(
                        ADC_TOKEN, Date.from(Instant.now().plus(Duration.ofHours(1))))));
    minter = minter(Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    google.close();
    connections.close();
    executor.shutdownNow();
  }

  private GcpMinter minter(Duration timeout) {
    GcpSettings settings =
        new GcpSettings(google.uri(), google.uri(), timeout, Optional.of(tls.clientContext()));
    return new GcpMinter(settings, connections, signer, executor);
  }

  /** A target and an order, as the issuance pipeline hands them to the minter. */
  private record Request(GcpTarget target, MintOrder order) {}

  private static Request request(GcpTarget target, Duration lifetime) {
    return request(target, new IssuedUnder.Grant("grant-1"), "gcp-prod-viewer", lifetime);
  }

  private static Request request(
      GcpTarget target, IssuedUnder under, String profile, Duration lifetime) {
    return new Request(
        target,
        new MintOrder(
            profile,
            SourceNetworks.ANY,
            under,
            "alice@example.com",
            "https://idp.example.com",
            "alice",
            lifetime,
            CLOCK.instant().plus(Duration.ofHours(12)),
            ParameterValues.NONE,
            Optional.empty()));
  }

  private static GcpTarget impersonation() {
    return new GcpTarget(
        SA,
        List.of("cloud-platform", "https://www.googleapis.com/auth/userinfo.email"),
        List.of("hop@prod-123.iam.gserviceaccount.com"),
        GcpTarget.Mode.IMPERSONATE,
        Optional.empty());
  }

  private static GcpTarget workloadIdentity() {
    return new GcpTarget(
        SA,
        List.of("cloud-platform"),
        List.of(),
        GcpTarget.Mode.WORKLOAD_IDENTITY,
        Optional.of(PROVIDER));
  }

  private GcpToken mint(Request request) throws Exception {
    return mint(minter, request);
  }

  private static GcpToken mint(GcpMinter minter, Request request) throws Exception {
    try {
      return mintAsync(minter, request).get(Patience.seconds(30), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  /** The minted credential's token and expiry. */
  private static CompletableFuture<GcpToken> mintAsync(GcpMinter minter, Request request) {
    return minter
        .mint(request.target(), request.order())
        .thenApply(t -> new GcpToken(t.token(), t.expiresAt()));
  }

  @Test
  void impersonationCallsGenerateAccessTokenWithStintsCredentialAndTheCappedLifetime()
      throws Exception {
    GcpToken token = mint(request(impersonation(), Duration.ofMinutes(30)));

    Call call = google.onlyGenerate();
    assertThat(FakeGcp.serviceAccount(call)).isEqualTo(SA);
    assertThat(call.header("authorization")).isEqualTo("Bearer " + ADC_TOKEN);
    assertThat(FakeGcp.json(call).path("lifetime").asText()).isEqualTo("1800s");
    assertThat(FakeGcp.json(call).path("scope").toString())
        .isEqualTo(
            "[\"https://www.googleapis.com/auth/cloud-platform\","
                + "\"https://www.googleapis.com/auth/userinfo.email\"]");
    assertThat(FakeGcp.json(call).path("delegates").toString())
        .isEqualTo("[\"projects/-/serviceAccounts/hop@prod-123.iam.gserviceaccount.com\"]");
    assertThat(google.issuedBy(token.accessToken())).isEqualTo(Endpoint.GENERATE_ACCESS_TOKEN);
    assertThat(token.expiresAt()).isEqualTo(CLOCK.instant().plusSeconds(1800));
    assertThat(google.calls(c -> c.path().equals("/v1/token"))).isEmpty();
  }

  @Test
  void lifetimeIsCappedAtGooglesOneHourUnlessALongerMaximumIsAllowed() throws Exception {
    mint(request(impersonation(), Duration.ofHours(2)));
    mint(
        minter.allowing(GoogleMax.EXTENDED),
        request(impersonation(), new IssuedUnder.Grant("grant-2"), "p", Duration.ofHours(2)));
    mint(request(impersonation(), Duration.ofMillis(90_900)));

    List<Call> calls = google.calls(c -> c.path().endsWith(":generateAccessToken"));
    assertThat(calls)
        .extracting(c -> FakeGcp.json(c).path("lifetime").asText())
        .containsExactly("3600s", "7200s", "90s");
  }

  @Test
  void workloadIdentityExchangesASignedJwtAtStsThenImpersonatesWithTheFederatedToken()
      throws Exception {
    GcpToken token = mint(request(workloadIdentity(), Duration.ofMinutes(5)));

    Call sts = google.onlySts();
    assertThat(sts.form("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:token-exchange");
    assertThat(sts.form("subject_token_type")).isEqualTo("urn:ietf:params:oauth:token-type:jwt");
    assertThat(sts.form("requested_token_type"))
        .isEqualTo("urn:ietf:params:oauth:token-type:access_token");
    assertThat(sts.form("audience")).isEqualTo(PROVIDER);
    assertThat(sts.form("scope")).isEqualTo("https://www.googleapis.com/auth/cloud-platform");
    JWTClaimsSet subject = TestJwtSigner.verify(sts.form("subject_token"), signer.publicJwks());
    assertThat(subject.getIssuer()).isEqualTo(TestJwtSigner.ISSUER);
    assertThat(subject.getAudience()).containsExactly(PROVIDER);
    assertThat(subject.getSubject()).isEqualTo("profile:gcp-prod-viewer");
    assertThat(subject.getClaim("grant_id")).isEqualTo("grant-1");
    assertThat(subject.getClaim("person")).isEqualTo("alice@example.com");

    Call generate = google.onlyGenerate();
    String bearer = generate.header("authorization").substring("Bearer ".length());
    assertThat(google.issuedBy(bearer)).isEqualTo(Endpoint.STS);
    // Under the library's 600 s floor for its own impersonation option: stint's path allows it.
    assertThat(FakeGcp.json(generate).path("lifetime").asText()).isEqualTo("300s");
    assertThat(google.issuedBy(token.accessToken())).isEqualTo(Endpoint.GENERATE_ACCESS_TOKEN);
    assertThat(token.expiresAt()).isEqualTo(CLOCK.instant().plusSeconds(300));
  }

  /** A lease's token names its grant and itself, so Google's audit logs lead to both. */
  @Test
  void aLeasesSubjectTokenNamesTheGrantAndTheLease() throws Exception {
    mint(
        request(
            workloadIdentity(),
            new IssuedUnder.Lease("grant-1", "lse_abcdefghijklmnopqrstuvwx"),
            "gcp-prod-viewer",
            Duration.ofMinutes(5)));

    JWTClaimsSet subject =
        TestJwtSigner.verify(google.onlySts().form("subject_token"), signer.publicJwks());
    assertThat(subject.getClaim("grant_id")).isEqualTo("grant-1");
    assertThat(subject.getClaim("lease_id")).isEqualTo("lse_abcdefghijklmnopqrstuvwx");
    assertThat(subject.getClaim("person")).isEqualTo("alice@example.com");
  }

  /** Statements of its own are AWS's alone: minting without them would give more than asked. */
  @Test
  void ownStatementsAreRefusedWithoutCallingGoogle() {
    Request plain = request(workloadIdentity(), Duration.ofMinutes(5));
    MintOrder o = plain.order();
    MintOrder withStatements =
        new MintOrder(
            o.profile(),
            o.sources(),
            new IssuedUnder.Lease("grant-1", "lse_abcdefghijklmnopqrstuvwx"),
            o.holder(),
            o.issuer(),
            o.subject(),
            o.lifetime(),
            o.hardEnd(),
            o.parameters(),
            Optional.of(
                new FilledDocument(
                    "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]")));

    assertThatThrownBy(() -> mint(new Request(plain.target(), withStatements)))
        .isInstanceOfSatisfying(
            MintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.detail())
                  .isEqualTo(
                      "profile gcp-prod-viewer is not an AWS profile: only an AWS session takes"
                          + " statements of its own");
            });
    assertThat(google.calls()).isEmpty();
  }

  @Test
  void concurrentMintsEachGetTheirOwnToken() throws Exception {
    List<CompletableFuture<GcpToken>> futures = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      futures.add(
          mintAsync(
              minter,
              request(i % 2 == 0 ? impersonation() : workloadIdentity(), Duration.ofMinutes(i))));
    }
    List<GcpToken> tokens = new ArrayList<>();
    for (var future : futures) {
      tokens.add(future.get(Patience.seconds(30), TimeUnit.MILLISECONDS));
    }

    assertThat(tokens).extracting(GcpToken::accessToken).doesNotHaveDuplicates();
    assertThat(tokens)
        .extracting(GcpToken::expiresAt)
        .containsExactly(
            IntStream.rangeClosed(1, 8)
                .mapToObj(i -> CLOCK.instant().plusSeconds(60L * i))
                .toArray(Instant[]::new));
    assertThat(google.calls(c -> c.path().equals("/v1/token"))).hasSize(4);
  }

  @Test
  void aSubjectTokenThatDoesNotVerifyAgainstTheJwksIsDetected() throws Exception {
    mint(request(workloadIdentity(), Duration.ofMinutes(5)));
    TestJwtSigner other = new TestJwtSigner(CLOCK);

    assertThatThrownBy(
            () -> TestJwtSigner.verify(google.onlySts().form("subject_token"), other.publicJwks()))
        .isInstanceOf(AssertionError.class);
  }

  @ParameterizedTest
  @EnumSource(
      value = Failure.class,
      names = {"PERMISSION_DENIED", "NOT_FOUND", "INVALID_GRANT"})
  void googleRefusingGenerateAccessTokenIsForbidden(Failure failure) {
    google.failNext(Endpoint.GENERATE_ACCESS_TOKEN, failure);

    assertThatThrownBy(() -> mint(request(impersonation(), Duration.ofMinutes(10))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
              assertThat(e.detail())
                  .isEqualTo("Google refused to issue a token for profile gcp-prod-viewer")
                  .doesNotContain(SA);
            });
  }

  @Test
  void googleFailingIsUpstreamUnavailable() {
    google.failNext(Endpoint.GENERATE_ACCESS_TOKEN, Failure.SERVER_ERROR);

    assertThatThrownBy(() -> mint(request(impersonation(), Duration.ofMinutes(10))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE));
  }

  @Test
  void stsRefusingTheSubjectTokenIsForbiddenAndNothingIsImpersonated() {
    google.failNext(Endpoint.STS, Failure.INVALID_GRANT);

    assertThatThrownBy(() -> mint(request(workloadIdentity(), Duration.ofMinutes(10))))
        .isInstanceOfSatisfying(
            StintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    assertThat(google.calls(c -> c.path().endsWith(":generateAccessToken"))).isEmpty();
  }

  @Test
  void stsFailingIsUpstreamUnavailable() {
    google.failNext(Endpoint.STS, Failure.SERVER_ERROR);

    assertThatThrownBy(() -> mint(request(workloadIdentity(), Duration.ofMinutes(10))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE));
  }

  @Test
  void aHangingGoogleIsCutOffAtTheDeadline() {
    google.failNext(Endpoint.GENERATE_ACCESS_TOKEN, Failure.HANG);
    minter = minter(Duration.ofMillis(500));
    // The call never answers: its failure can only come from the deadline, however slow the host.
    assertThatThrownBy(() -> mint(request(impersonation(), Duration.ofMinutes(10))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE));
  }

  @Test
  void noTimeLeftIsRefusedWithoutCallingGoogle() {
    assertThatThrownBy(() -> mint(request(impersonation(), Duration.ofMillis(999))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
              assertThat(e.detail()).isEqualTo("the grant has ended");
            });
    assertThat(google.calls()).isEmpty();
  }

  @Test
  void missingApplicationDefaultCredentialsIsUpstreamUnavailable() {
    connections =
        new GcpConnections(
            () -> {
              throw new IOException("The Application Default Credentials are not available.");
            });
    minter = minter(Duration.ofSeconds(5));

    assertThatThrownBy(() -> mint(request(impersonation(), Duration.ofMinutes(10))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE));
    assertThat(google.calls()).isEmpty();
  }

  @Test
  void aFailingSignerIsStintsOwnErrorAndGoogleIsNotAsked() {
    minter =
        new GcpMinter(
            new GcpSettings(
                google.uri(),
                google.uri(),
                Duration.ofSeconds(5),
                Optional.of(tls.clientContext())),
            connections,
            (aud, sub, claims) -> {
              throw new IllegalStateException("no signing key");
            },
            executor);

    assertThatThrownBy(() -> mint(request(workloadIdentity(), Duration.ofMinutes(10))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
              assertThat(e.detail())
                  .isEqualTo("stint could not sign a token for profile gcp-prod-viewer");
            });
    assertThat(google.calls()).isEmpty();
  }

  @Test
  void aSignersOwnCallerSafeErrorIsPassedOn() {
    StintException unavailable =
        new StintException(ErrorCode.UNAVAILABLE, "signing keys are loading");
    minter =
        new GcpMinter(
            new GcpSettings(
                google.uri(),
                google.uri(),
                Duration.ofSeconds(5),
                Optional.of(tls.clientContext())),
            connections,
            (aud, sub, claims) -> {
              throw unavailable;
            },
            executor);

    assertThatThrownBy(() -> mint(request(workloadIdentity(), Duration.ofMinutes(10))))
        .isSameAs(unavailable);
  }

  @Test
  void theTokenNeverShowsInToString() throws Exception {
    var request = request(impersonation(), Duration.ofMinutes(5));
    var token =
        minter
            .mint(request.target(), request.order())
            .get(Patience.seconds(30), TimeUnit.MILLISECONDS);

    assertThat(token.toString()).doesNotContain(token.token()).contains("***");
  }
}
