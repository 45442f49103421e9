package dev.stint.mint.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.stint.cloud.AzureTarget;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.mint.IssuedUnder;
import dev.stint.mint.MintOrder;
import dev.stint.testing.FakeEntra;
import dev.stint.testing.FakeEntra.Failure;
import dev.stint.testing.FakeHttpsEndpoint.Call;
import dev.stint.testing.Patience;
import dev.stint.testing.TestJwtSigner;
import dev.stint.testing.TestTls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real azure-identity {@code ClientAssertionCredential} (and MSAL under it) against a local
 * HTTPS Entra fake that records the client assertion it received.
 *
 * <p>MSAL computes {@code expires_on} from the wall clock plus {@code expires_in}, so these tests
 * use the system clock and compare with margins of many minutes, never seconds.
 */
class AzureMinterTest {
  private static final String TENANT = "11111111-2222-3333-4444-555555555555";
  private static final String CLIENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  private static final String SCOPE = "https://management.azure.com/.default";
  private static final Clock CLOCK = Clock.systemUTC();
  private static TestTls tls;

  private FakeEntra entra;
  private ExecutorService executor;
  private TestJwtSigner signer;
  private AzureMinter minter;

  @BeforeAll
  static void certificate() {
    tls = TestTls.create();
  }

  @BeforeEach
  void start() {
    entra = new FakeEntra(tls);
    executor = Executors.newCachedThreadPool();
    signer = new TestJwtSigner(CLOCK);
    minter = minter(Duration.ofSeconds(10), 0);
  }

  @AfterEach
  void stop() {
    entra.close();
    executor.shutdownNow();
  }

  private AzureMinter minter(Duration timeout, int retries) {
    return new AzureMinter(
        new AzureSettings(entra.uri(), timeout, retries, Optional.of(tls.clientContext())),
        signer,
        executor,
        CLOCK);
  }

  /** A target and an order, as the issuance pipeline hands them to the minter. */
  private record Request(AzureTarget target, MintOrder order) {}

  private static Request request(boolean allowOverrun, Duration grantLeft) {
    return new Request(
        new AzureTarget(TENANT, CLIENT, SCOPE, allowOverrun),
        new MintOrder(
            "azure-prod-reader",
            SourceNetworks.ANY,
            new IssuedUnder.Grant("grant-7"),
            "alice@example.com",
            "https://idp.example.com",
            "alice",
            Duration.ofHours(1),
            CLOCK.instant().plus(grantLeft),
            ParameterValues.NONE,
            Optional.empty()));
  }

  /** The minted credential as Entra's token, whose claims it carries. */
  private AzureToken mint(Request request) throws Exception {
    try {
      return minter
          .mint(request.target(), request.order())
          .thenApply(t -> new AzureToken(t.token(), t.expiresAt()))
          .get(Patience.seconds(30), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void aSignedClientAssertionIsExchangedForTheAppsToken() throws Exception {
    Instant before = CLOCK.instant();
    AzureToken token = mint(request(false, Duration.ofHours(2)));

    Call call = entra.onlyTokenCall();
    assertThat(entra.calls())
        .extracting(c -> c.method() + " " + c.path())
        .containsExactly("POST /" + TENANT + "/oauth2/v2.0/token");
    assertThat(FakeEntra.tenant(call)).isEqualTo(TENANT);
    assertThat(call.form("grant_type")).isEqualTo("client_credentials");
    assertThat(call.form("client_id")).isEqualTo(CLIENT);
    assertThat(call.form("scope")).contains(SCOPE);
    assertThat(call.form("client_assertion_type"))
        .isEqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    JWTClaimsSet assertion =
        TestJwtSigner.verify(call.form("client_assertion"), signer.publicJwks());
    assertThat(assertion.getIssuer()).isEqualTo(TestJwtSigner.ISSUER);
    assertThat(assertion.getAudience()).containsExactly("api://AzureADTokenExchange");
    assertThat(assertion.getSubject()).isEqualTo("profile:azure-prod-reader");
    assertThat(assertion.getClaim("grant_id")).isEqualTo("grant-7");
    assertThat(assertion.getClaim("person")).isEqualTo("alice@example.com");

    assertThat(token.accessToken()).startsWith("eyJ");
    assertThat(token.ids())
        .contains(
            new EntraClaims.Ids(
                FakeEntra.claims(token.accessToken()).path("uti").asText(), Optional.of(TENANT)));
    assertThat(token.expiresOn())
        .isBetween(before.plusSeconds(3599 - 60), Instant.now().plusSeconds(3599));
    assertThat(token.toString()).doesNotContain(token.accessToken());
  }

  @Test
  void everyMintAsksEntraAfreshWithItsOwnAssertion() throws Exception {
    AzureToken first = mint(request(false, Duration.ofHours(2)));
    AzureToken second = mint(request(false, Duration.ofHours(2)));

    assertThat(entra.tokenCalls()).hasSize(2);
    assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
    assertThat(entra.tokenCalls().get(0).form("client_assertion"))
        .isNotEqualTo(entra.tokenCalls().get(1).form("client_assertion"));
  }

  @Test
  void aTokenThatWouldOutliveTheGrantIsRefusedNamingBothTimes() {
    Request request = request(false, Duration.ofMinutes(30));

    assertThatThrownBy(() -> mint(request))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
              assertThat(e.detail())
                  .contains(
                      "azure-prod-reader",
                      request.order().hardEnd().toString(),
                      "allow_lifetime_overrun");
            });
    assertThat(entra.tokenCalls()).hasSize(1);
  }

  @Test
  void theProfileMayAcceptATokenThatOutlivesTheGrant() throws Exception {
    Request request = request(true, Duration.ofMinutes(30));

    AzureToken token = mint(request);

    assertThat(token.expiresOn()).isAfter(request.order().hardEnd());
  }

  @Test
  void aShortEntraLifetimeInsideTheGrantIsReportedAsIs() throws Exception {
    entra.expiresIn(1200);
    Instant before = CLOCK.instant();

    AzureToken token = mint(request(false, Duration.ofMinutes(30)));

    assertThat(token.expiresOn())
        .isBetween(before.plusSeconds(1200 - 60), Instant.now().plusSeconds(1200));
  }

  @ParameterizedTest
  @EnumSource(
      value = Failure.class,
      names = {"NO_MATCHING_FEDERATED_IDENTITY", "APP_NOT_FOUND"})
  void entraRefusingTheAssertionIsForbidden(Failure failure) {
    entra.failNext(failure);

    assertThatThrownBy(() -> mint(request(false, Duration.ofHours(2))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
              assertThat(e.detail())
                  .isEqualTo("Entra refused to issue a token for profile azure-prod-reader")
                  .doesNotContain(CLIENT)
                  .doesNotContain(TENANT);
            });
  }

  @Test
  void entraFailingIsUpstreamUnavailable() {
    entra.failNext(Failure.SERVER_ERROR);

    assertThatThrownBy(() -> mint(request(false, Duration.ofHours(2))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE));
  }

  @Test
  void aTransientEntraFailureIsRetriedWhenRetriesAreConfigured() throws Exception {
    minter = minter(Duration.ofSeconds(10), 1);
    entra.failNext(Failure.SERVER_ERROR);

    AzureToken token = mint(request(false, Duration.ofHours(2)));

    assertThat(token.accessToken()).isNotBlank();
    assertThat(entra.tokenCalls()).hasSize(2);
  }

  @Test
  void aHangingEntraIsCutOffAtTheTimeout() {
    minter = minter(Duration.ofMillis(700), 0);
    entra.failNext(Failure.HANG);
    // The call never answers: its failure can only come from the deadline, however slow the host.
    assertThatThrownBy(() -> mint(request(false, Duration.ofHours(2))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE));
  }

  @Test
  void aFailingSignerIsStintsOwnErrorAndEntraIsNotAsked() {
    minter =
        new AzureMinter(
            new AzureSettings(
                entra.uri(), Duration.ofSeconds(5), 0, Optional.of(tls.clientContext())),
            (aud, sub, claims) -> {
              throw new IllegalStateException("no signing key");
            },
            executor,
            CLOCK);

    assertThatThrownBy(() -> mint(request(false, Duration.ofHours(2))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
              assertThat(e.detail())
                  .isEqualTo("stint could not sign a token for profile azure-prod-reader");
            });
    assertThat(entra.calls()).isEmpty();
  }

  @Test
  void anEndedGrantIsRefusedWithoutAskingEntra() {
    assertThatThrownBy(() -> mint(request(true, Duration.ofSeconds(-1))))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
              assertThat(e.detail()).isEqualTo("the grant has ended");
            });
    assertThat(entra.calls()).isEmpty();
  }

  private static Request leaseRequest(Optional<FilledDocument> statements) {
    MintOrder o = request(false, Duration.ofHours(2)).order();
    return new Request(
        new AzureTarget(TENANT, CLIENT, SCOPE, false),
        new MintOrder(
            o.profile(),
            o.sources(),
            new IssuedUnder.Lease("grant-7", "lse_abcdefghijklmnopqrstuvwx"),
            o.holder(),
            o.issuer(),
            o.subject(),
            o.lifetime(),
            o.hardEnd(),
            o.parameters(),
            statements));
  }

  /** A lease's assertion names its grant and itself, so Entra's sign-in logs lead to both. */
  @Test
  void aLeasesAssertionNamesTheGrantAndTheLease() throws Exception {
    mint(leaseRequest(Optional.empty()));

    JWTClaimsSet assertion =
        TestJwtSigner.verify(entra.onlyTokenCall().form("client_assertion"), signer.publicJwks());
    assertThat(assertion.getClaim("grant_id")).isEqualTo("grant-7");
    assertThat(assertion.getClaim("lease_id")).isEqualTo("lse_abcdefghijklmnopqrstuvwx");
    assertThat(assertion.getClaim("person")).isEqualTo("alice@example.com");
  }

  /** Statements of its own are AWS's alone: minting without them would give more than asked. */
  @Test
  void ownStatementsAreRefusedWithoutAskingEntra() {
    Request withStatements =
        leaseRequest(
            Optional.of(
                new FilledDocument(
                    "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]")));

    assertThatThrownBy(() -> mint(withStatements))
        .isInstanceOfSatisfying(
            StintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.detail())
                  .isEqualTo(
                      "profile azure-prod-reader is not an AWS profile: only an AWS session takes"
                          + " statements of its own");
            });
    assertThat(entra.calls()).isEmpty();
  }
}
