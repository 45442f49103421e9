package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.stint.cloud.AccountAssignment;
import dev.stint.cloud.AwsTarget;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import dev.stint.error.ErrorCode;
import dev.stint.mint.IssuedUnder;
import dev.stint.mint.MintException;
import dev.stint.mint.MintOrder;
import dev.stint.mint.Receipt;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeSts;
import dev.stint.testing.FakeSts.Failure;
import dev.stint.testing.Patience;
import dev.stint.testing.TestJwtSigner;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The real SDK STS client against a local fake that asserts the exact request. */
class AwsMinterTest {
  static final String ROLE = "arn:aws:iam::111122223333:role/prod-admin";
  static final AwsCredentialsProvider STINT_IDENTITY =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create("AKIASTINTTESTKEY0001", "stint-test-secret"));

  /**
   * Short bounds so failure tests end quickly, but an attempt may take 1.5 s: a JVM's first SDK
   * call (class loading, JIT) on a busy CI machine is far slower than later ones, and a retried
   * attempt would break the tests that count calls. Slow-STS tests hang the fake for longer than
   * this.
   */
  static final AwsSettings.Calls FAST_CALLS =
      new AwsSettings.Calls(
          Duration.ofSeconds(5), Duration.ofMillis(1500), 3, Duration.ofMillis(1));

  /**
   * For a fake STS that never answers in time: every attempt times out whatever its length, so
   * short ones only end the test sooner; three of them, as production makes.
   */
  static final AwsSettings.Calls HUNG_CALLS =
      new AwsSettings.Calls(Duration.ofSeconds(5), Duration.ofMillis(300), 3, Duration.ofMillis(1));

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
  private final TestJwtSigner tokens = new TestJwtSigner(clock);
  private final FakeSts sts = new FakeSts(clock).trust(tokens.awsProvider());
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private AwsClients clients;

  @AfterEach
  void stop() {
    if (clients != null) {
      clients.close();
    }
    sts.close();
    executor.shutdownNow();
    vertx.close();
  }

  private AwsMinter minter(URI stsEndpoint, AwsCredentialsProvider credentials) {
    return minter(stsEndpoint, credentials, FAST_CALLS);
  }

  private AwsMinter minter(
      URI stsEndpoint, AwsCredentialsProvider credentials, AwsSettings.Calls calls) {
    AwsSettings settings =
        new AwsSettings(
            Optional.of("eu-west-1"),
            Optional.of(stsEndpoint),
            Optional.empty(),
            AwsSettings.DEFAULT_SIGNIN,
            calls);
    clients = new AwsClients(vertx, settings, credentials, 4);
    return new AwsMinter(clients, tokens, executor, clock);
  }

  private AwsMinter minter() {
    return minter(sts.uri(), STINT_IDENTITY);
  }

  /** Per grant and from (issuer, subject): the revocation deny keys on it, not on the name. */
  static final String SOURCE_IDENTITY =
      SourceIdentities.of("https://idp.example.com", "jane", "g-7f3a");

  /** A target and an order, as the issuance pipeline hands them to the minter. */
  record Request(AwsTarget target, MintOrder order) {}

  static CompletableFuture<AwsSession> mint(AwsMinter minter, Request request) {
    return minter.mint(request.target(), request.order());
  }

  static Request request(AwsTarget.Mode mode, Instant grantEnds) {
    return request(new AwsTarget(ROLE, mode, Optional.empty()), lifetime(grantEnds), grantEnds);
  }

  /** Jane's, under grant g-7f3a ({@link #SOURCE_IDENTITY}), for profile aws-prod-admin. */
  static Request request(AwsTarget target, Duration lifetime, Instant hardEnd) {
    return new Request(
        target,
        new MintOrder(
            "aws-prod-admin",
            SourceNetworks.ANY,
            new IssuedUnder.Grant("g-7f3a"),
            "jane.doe+ops@example.com",
            "https://idp.example.com",
            "jane",
            lifetime,
            hardEnd,
            ParameterValues.NONE,
            Optional.empty()));
  }

  /**
   * What the issuance pipeline would hand the minter for a two-hour profile: the time left on the
   * grant (to the minute), at most two hours, at least STS's floor. Capping itself is
   * LifetimesTest's; here it only has to be plausible.
   */
  static Duration lifetime(Instant grantEnds) {
    long minutesLeft = Math.round(Duration.between(Instant.now(), grantEnds).toSeconds() / 60.0);
    long minutes = Math.max(15, Math.min(120, minutesLeft));
    return Duration.ofMinutes(minutes);
  }

  @Test
  void assumeRoleSendsTheExactRequestAndReturnsTheSession() throws Exception {
    Instant grantEnds = now.plus(Duration.ofHours(8));

    AwsSession session =
        mint(minter(), request(AwsTarget.Mode.ASSUME_ROLE, grantEnds))
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    Call call = sts.onlyCall("AssumeRole");
    assertThat(call.params())
        .containsAllEntriesOf(
            Map.of(
                "Action", "AssumeRole",
                "Version", "2011-06-15",
                "RoleArn", ROLE,
                "RoleSessionName", "jane.doe+ops@example.com",
                "SourceIdentity", SOURCE_IDENTITY,
                "DurationSeconds", "7200",
                "Tags.member.1.Key", "stint:grant",
                "Tags.member.1.Value", "g-7f3a",
                "Tags.member.2.Key", "stint:profile",
                "Tags.member.2.Value", "aws-prod-admin"));
    assertThat(call.params()).doesNotContainKey("TransitiveTagKeys.member.1");
    assertThat(call.param("Policy"))
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\","
                + "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":"
                + "{\"aws:CurrentTime\":\""
                + grantEnds
                + "\"}}}]}");
    assertThat(call.headers().get("Authorization").get(0))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIASTINTTESTKEY0001/")
        .contains("/eu-west-1/sts/aws4_request");
    FakeSts.Issued issued = sts.issued().get(0);
    assertThat(session)
        .isEqualTo(
            new AwsSession(
                issued.accessKeyId(),
                issued.secretAccessKey(),
                issued.sessionToken(),
                now.plus(Duration.ofHours(2)),
                now.plus(Duration.ofHours(2)),
                ROLE,
                "jane.doe+ops@example.com",
                SOURCE_IDENTITY,
                Optional.empty()));
    assertThat(session.receipt())
        .isEqualTo(
            Receipt.awsSession(
                ROLE,
                issued.accessKeyId(),
                "jane.doe+ops@example.com",
                SOURCE_IDENTITY,
                now.plus(Duration.ofHours(2))));
  }

  @Test
  void aGrantEndingInFiveMinutesGetsA900SecondSessionThatIsDeniedAfterTheGrant() throws Exception {
    Instant grantEnds = now.plus(Duration.ofMinutes(5));

    AwsSession session =
        mint(minter(), request(AwsTarget.Mode.ASSUME_ROLE, grantEnds))
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    Call call = sts.onlyCall("AssumeRole");
    assertThat(call.param("DurationSeconds")).isEqualTo("900");
    assertThat(call.param("Policy"))
        .contains("\"DateGreaterThan\":{\"aws:CurrentTime\":\"" + grantEnds + "\"}");
    assertThat(session.expiration()).isEqualTo(grantEnds);
    assertThat(session.stsExpiration()).isEqualTo(now.plusSeconds(900));
  }

  @Test
  void anOrderThatWaitedIsCappedAgainAtTheHardEndWhenItsCallStarts() throws Exception {
    // Capped to two hours when ordered; by the time the call starts only one hour is left.
    Instant hardEnd = now.plus(Duration.ofHours(1));
    Request waited =
        request(
            new AwsTarget(ROLE, AwsTarget.Mode.ASSUME_ROLE, Optional.empty()),
            Duration.ofHours(2),
            hardEnd);

    mint(minter(), waited).get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    assertThat(sts.onlyCall("AssumeRole").param("DurationSeconds")).isEqualTo("3600");
  }

  /** The profile's region travels with the keys: tools need both, and only stint knows it. */
  @Test
  void aRoleThatNamesItsRegionAnswersWithIt() throws Exception {
    Instant grantEnds = now.plus(Duration.ofHours(1));
    Request inRegion =
        request(
            new AwsTarget(ROLE, AwsTarget.Mode.ASSUME_ROLE, Optional.of("eu-central-1")),
            lifetime(grantEnds),
            grantEnds);

    AwsSession session = mint(minter(), inRegion).get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    AwsSession without =
        mint(minter(), request(AwsTarget.Mode.ASSUME_ROLE, grantEnds))
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    assertThat(session.region()).contains("eu-central-1");
    assertThat(session.wireFields()).containsEntry("region", "eu-central-1");
    assertThat(without.region()).isEmpty();
    assertThat(without.wireFields()).doesNotContainKey("region");
  }

  @Test
  void anEndedGrantIsRefusedWithoutCallingSts() {
    var future = mint(minter(), request(AwsTarget.Mode.ASSUME_ROLE, now.minusSeconds(1)));

    assertThatThrownBy(() -> future.get(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .cause()
        .isInstanceOfSatisfying(
            MintException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    assertThat(sts.calls()).isEmpty();
  }

  /** An Identity Center grant is the assignment: no session is minted and STS is never asked. */
  @Test
  void anIdentityCenterTargetIsRefusedWithoutCallingSts() {
    AwsTarget target =
        AwsTarget.identityCenter(
            new AccountAssignment(
                "arn:aws:sso:::instance/ssoins-0123456789abcdef",
                "d-0123456789",
                "444455556666",
                "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef"),
            Optional.empty());
    Instant grantEnds = now.plusSeconds(3600);
    var future = mint(minter(), request(target, lifetime(grantEnds), grantEnds));

    assertThatThrownBy(() -> future.get(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .cause()
        .isInstanceOfSatisfying(
            MintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.getMessage()).contains("aws sso login");
            });
    assertThat(sts.calls()).isEmpty();
  }

  /**
   * The assume call carries stint's token and no AWS signature. stint's own keys are used only to
   * ask who stint is (GetCallerIdentity, once per key): the revocation writes with them, so the
   * issuance checks a revocation could reach the role, in this mode too.
   */
  @Test
  void webIdentitySendsAStintSignedTokenAndNoAwsSignature() throws Exception {
    Instant grantEnds = now.plus(Duration.ofHours(1));

    AwsSession session =
        mint(minter(), request(AwsTarget.Mode.WEB_IDENTITY, grantEnds))
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    Call call = sts.onlyCall("AssumeRoleWithWebIdentity");
    assertThat(call.headers()).doesNotContainKey("Authorization");
    assertThat(sts.calls())
        .filteredOn(c -> c.headers().containsKey("Authorization"))
        .extracting(c -> c.param("Action"))
        .containsOnly("GetCallerIdentity");
    assertThat(call.params())
        .containsAllEntriesOf(
            Map.of(
                "RoleArn",
                ROLE,
                "RoleSessionName",
                "jane.doe+ops@example.com",
                "DurationSeconds",
                "3600"));
    assertThat(call.params()).doesNotContainKeys("SourceIdentity", "Tags.member.1.Key");
    assertThat(call.param("Policy")).contains("\"aws:CurrentTime\":\"" + grantEnds + "\"");
    JWTClaimsSet claims = TestJwtSigner.verify(call.param("WebIdentityToken"), tokens.publicJwks());
    assertThat(claims.getAudience()).containsExactly("sts.amazonaws.com");
    assertThat(claims.getSubject()).isEqualTo("profile:aws-prod-admin");
    assertThat(claims.getClaim("https://aws.amazon.com/source_identity"))
        .isEqualTo(SOURCE_IDENTITY);
    assertThat(claims.getJSONObjectClaim("https://aws.amazon.com/tags"))
        .isEqualTo(
            Map.of(
                "principal_tags",
                Map.of(
                    "stint:grant", List.of("g-7f3a"), "stint:profile", List.of("aws-prod-admin"))));
    assertThat(session.accessKeyId()).isEqualTo(sts.issued().get(0).accessKeyId());
  }

  static final String LEASE = "lse_abcdefghijklmnopqrstuvwx";

  /** A task lease's session of Jane's grant g-7f3a: the lease in its source identity. */
  static final String LEASE_SOURCE_IDENTITY =
      SourceIdentities.of("https://idp.example.com", "jane", LEASE);

  static Request leaseRequest(AwsTarget.Mode mode, Instant grantEnds) {
    MintOrder grant = request(mode, grantEnds).order();
    return new Request(
        new AwsTarget(ROLE, mode, Optional.empty()),
        new MintOrder(
            grant.profile(),
            grant.sources(),
            new IssuedUnder.Lease("g-7f3a", LEASE),
            grant.holder(),
            grant.issuer(),
            grant.subject(),
            grant.lifetime(),
            grant.hardEnd(),
            ParameterValues.NONE,
            Optional.empty()));
  }

  /**
   * A lease's session is the grant's (its {@code stint:grant} tag, which a grant's revocation
   * reaches) and the lease's ({@code stint:lease}, and the lease in the source identity, which the
   * lease's own revocation reaches, chained sessions too).
   */
  @Test
  void aLeasesAssumedSessionCarriesTheLeaseBesideTheGrant() throws Exception {
    AwsSession session =
        mint(minter(), leaseRequest(AwsTarget.Mode.ASSUME_ROLE, now.plus(Duration.ofHours(1))))
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    Call call = sts.onlyCall("AssumeRole");
    assertThat(call.params())
        .containsAllEntriesOf(
            Map.of(
                "SourceIdentity", LEASE_SOURCE_IDENTITY,
                "Tags.member.1.Key", "stint:grant",
                "Tags.member.1.Value", "g-7f3a",
                "Tags.member.2.Key", "stint:profile",
                "Tags.member.2.Value", "aws-prod-admin",
                "Tags.member.3.Key", "stint:lease",
                "Tags.member.3.Value", LEASE));
    assertThat(call.params()).doesNotContainKeys("Tags.member.4.Key", "TransitiveTagKeys.member.1");
    assertThat(LEASE_SOURCE_IDENTITY).endsWith("." + LEASE).isNotEqualTo(SOURCE_IDENTITY);
    assertThat(session.sourceIdentity()).isEqualTo(LEASE_SOURCE_IDENTITY);
  }

  @Test
  void aLeasesWebIdentityTokenNamesTheGrantAndTheLease() throws Exception {
    mint(minter(), leaseRequest(AwsTarget.Mode.WEB_IDENTITY, now.plus(Duration.ofHours(1))))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    Call call = sts.onlyCall("AssumeRoleWithWebIdentity");
    assertThat(call.params()).doesNotContainKeys("SourceIdentity", "Tags.member.1.Key");
    JWTClaimsSet claims = TestJwtSigner.verify(call.param("WebIdentityToken"), tokens.publicJwks());
    assertThat(claims.getClaim("https://aws.amazon.com/source_identity"))
        .isEqualTo(LEASE_SOURCE_IDENTITY);
    assertThat(claims.getJSONObjectClaim("https://aws.amazon.com/tags"))
        .isEqualTo(
            Map.of(
                "principal_tags",
                Map.of(
                    "stint:grant", List.of("g-7f3a"),
                    "stint:profile", List.of("aws-prod-admin"),
                    "stint:lease", List.of(LEASE))));
    assertThat(claims.getClaim("grant_id")).isEqualTo("g-7f3a");
    assertThat(claims.getClaim("lease_id")).isEqualTo(LEASE);
  }

  /** A grant's own session names no lease anywhere: only the lease's sessions are the lease's. */
  @ParameterizedTest
  @EnumSource(
      value = AwsTarget.Mode.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = "IDENTITY_CENTER")
  void aGrantsOwnSessionCarriesNoLease(AwsTarget.Mode mode) throws Exception {
    mint(minter(), request(mode, now.plus(Duration.ofHours(1))))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    Call call = sts.assumeCalls().get(0);
    assertThat(call.params().values()).noneMatch(v -> v.contains("lse_") || v.contains("lease"));
    if (mode == AwsTarget.Mode.WEB_IDENTITY) {
      JWTClaimsSet claims =
          TestJwtSigner.verify(call.param("WebIdentityToken"), tokens.publicJwks());
      assertThat(claims.getClaims()).doesNotContainKey("lease_id").containsKey("grant_id");
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "ACCESS_DENIED,     FORBIDDEN,            1, AWS refused to issue credentials for profile aws-prod-admin",
    "THROTTLING,        UPSTREAM_UNAVAILABLE, 3, AWS is unavailable; no credentials were issued for profile aws-prod-admin; try again shortly",
    "SERVER_ERROR,      UPSTREAM_UNAVAILABLE, 3, AWS is unavailable; no credentials were issued for profile aws-prod-admin; try again shortly",
    "REGION_DISABLED,   UPSTREAM_UNAVAILABLE, 1, stint cannot issue credentials for profile aws-prod-admin: AWS STS is not activated in the configured region (aws.region)",
  })
  void stsErrorsBecomeCallerSafeErrors(
      Failure failure, ErrorCode code, int attempts, String detail) {
    sts.failAlways(failure);

    var future = mint(minter(), request(AwsTarget.Mode.ASSUME_ROLE, now.plus(Duration.ofHours(1))));

    MintException e = failure(future);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.detail()).isEqualTo(detail).doesNotContain("arn:", "111122223333");
    assertThat(sts.assumeCalls()).hasSize(attempts);
  }

  @Test
  void aDurationOverTheRolesMaximumPointsAtTheRole() {
    sts.maxSessionDuration(ROLE, Duration.ofHours(1)); // the default MaxSessionDuration

    MintException e =
        failure(mint(minter(), request(AwsTarget.Mode.ASSUME_ROLE, now.plus(Duration.ofHours(8)))));

    assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
    assertThat(e.detail())
        .isEqualTo(
            "stint cannot issue credentials for profile aws-prod-admin: the role's maximum session"
                + " duration is shorter than the profile's max_duration");
    assertThat(sts.assumeCalls()).hasSize(1);
    assertThat(sts.issued()).isEmpty();
  }

  @Test
  void aRejectedWebIdentityTokenPointsAtTheOidcProviderSetup() {
    minter(); // the clients
    // Signed with a key the account's OIDC provider for stint's issuer does not hold.
    AwsMinter rotated = new AwsMinter(clients, new TestJwtSigner(clock), executor, clock);

    MintException e =
        failure(mint(rotated, request(AwsTarget.Mode.WEB_IDENTITY, now.plus(Duration.ofHours(1)))));

    assertThat(e.detail())
        .isEqualTo(
            "stint cannot issue credentials for profile aws-prod-admin: AWS did "
                + "not accept stint's identity token (check the role's IAM OIDC provider for stint's issuer)");
  }

  @Test
  void throttlingIsRetried() throws Exception {
    sts.failNext(Failure.THROTTLING, Failure.SERVER_ERROR);

    AwsSession session =
        mint(minter(), request(AwsTarget.Mode.ASSUME_ROLE, now.plus(Duration.ofHours(1))))
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    assertThat(sts.assumeCalls()).hasSize(3);
    assertThat(session.accessKeyId()).isEqualTo(sts.issued().get(0).accessKeyId());
  }

  @Test
  void aSlowStsTimesOutAsUnavailable() {
    sts.failAlways(Failure.SLOW).slowFor(Duration.ofSeconds(3));

    var future =
        mint(
            minter(sts.uri(), STINT_IDENTITY, HUNG_CALLS),
            request(AwsTarget.Mode.ASSUME_ROLE, now.plus(Duration.ofHours(1))));

    MintException e = failure(future);
    assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void aFullCloudPoolRefusesAtOnceAsUnavailable() throws Exception {
    var pool = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1));
    var hold = new CountDownLatch(1);
    try {
      AwsSettings settings =
          new AwsSettings(
              Optional.of("eu-west-1"),
              Optional.of(sts.uri()),
              Optional.empty(),
              AwsSettings.DEFAULT_SIGNIN,
              FAST_CALLS);
      clients = new AwsClients(vertx, settings, STINT_IDENTITY, 1);
      AwsMinter busy = new AwsMinter(clients, tokens, pool, clock);
      pool.execute(() -> awaitQuietly(hold)); // the one thread is taken
      Request r = request(AwsTarget.Mode.ASSUME_ROLE, now.plus(Duration.ofHours(1)));
      mint(busy, r); // waits in the queue

      var refused = mint(busy, r);

      assertThat(refused).isCompletedExceptionally(); // at once: nothing ran
      MintException e = failure(refused);
      assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
      assertThat(e.detail()).contains("AWS is unavailable").contains("aws-prod-admin");
      assertThat(sts.calls()).isEmpty();
    } finally {
      hold.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aHangingStsHoldsNoThreadAndCallsBeyondTheConnectionsAreRefusedAtOnce() throws Exception {
    sts.failAlways(Failure.SLOW).slowFor(Duration.ofSeconds(3));
    var pool = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1));
    try {
      AwsSettings settings =
          new AwsSettings(
              Optional.of("eu-west-1"),
              Optional.of(sts.uri()),
              Optional.empty(),
              AwsSettings.DEFAULT_SIGNIN,
              FAST_CALLS);
      clients = new AwsClients(vertx, settings, STINT_IDENTITY, 1);
      AwsMinter minter = new AwsMinter(clients, tokens, pool, clock);
      Request r = request(AwsTarget.Mode.ASSUME_ROLE, now.plus(Duration.ofHours(1)));
      var hanging = mint(minter, r); // on the one connection, waiting for the slow STS
      Eventually.until(
          "the first call at STS", Duration.ofSeconds(10), () -> !sts.assumeCalls().isEmpty());
      assertThat(sts.assumeCalls()).hasSize(1);
      var waiting = mint(minter, r); // waits for that connection

      // The pool thread only started those calls: it is free for more.
      var refused = mint(minter, r);

      MintException e = failure(refused);
      assertThat(hanging).isNotDone(); // refused long before the hanging call's first attempt ends
      assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
      assertThat(failure(hanging).code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
      assertThat(failure(waiting).code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void anUnreachableEndpointIsUnavailable() {
    URI closed = sts.uri();
    sts.close();

    var future =
        mint(
            minter(closed, STINT_IDENTITY),
            request(AwsTarget.Mode.ASSUME_ROLE, now.plus(Duration.ofHours(1))));

    assertThat(failure(future).code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
  }

  /** In web_identity mode too: the revocation needs stint's own identity, so issuance checks it. */
  @ParameterizedTest
  @EnumSource(
      value = AwsTarget.Mode.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = "IDENTITY_CENTER")
  void missingOwnCredentialsAreAConfigurationError(AwsTarget.Mode mode) {
    AwsCredentialsProvider none =
        () -> {
          throw SdkClientException.create("Unable to load credentials from any of the providers");
        };

    var future = mint(minter(sts.uri(), none), request(mode, now.plus(Duration.ofHours(1))));

    MintException e = failure(future);
    assertThat(e.detail())
        .isEqualTo(
            "stint cannot issue credentials for profile aws-prod-admin: "
                + "stint has no AWS credentials of its own (the SDK's default credential chain found none)");
    assertThat(sts.calls()).isEmpty();
  }

  @Test
  void sessionToStringHidesTheSecrets() {
    AwsSession session =
        new AwsSession(
            "ASIAEXAMPLE",
            "very-secret",
            "very-token",
            now,
            now,
            ROLE,
            "jane",
            "0123456789abcdef.g-1",
            Optional.of("eu-west-1"));

    assertThat(session.toString())
        .contains("ASIAEXAMPLE")
        .doesNotContain("very-secret", "very-token");
  }

  static MintException failure(Future<?> future) {
    try {
      future.get(Patience.seconds(20), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(MintException.class);
      return (MintException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected the future to fail");
  }
}
