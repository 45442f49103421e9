package dev.stint.mint.aws;

import static dev.stint.mint.aws.AwsMinterTest.FAST_CALLS;
import static dev.stint.mint.aws.AwsMinterTest.STINT_IDENTITY;
import static dev.stint.mint.aws.AwsMinterTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stint.cloud.AwsTarget;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import dev.stint.error.ErrorCode;
import dev.stint.mint.IssuedUnder;
import dev.stint.mint.MintException;
import dev.stint.mint.MintOrder;
import dev.stint.testing.FakeSts;
import dev.stint.testing.Patience;
import dev.stint.testing.TestJwtSigner;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issuance refuses a session its revocation could not end: an assume_role profile whose role is in
 * another account than stint's own, with no broker role to reach it, is refused before STS is asked
 * for credentials, without an account id in what the caller sees. The real SDK against the STS
 * fake, which answers GetCallerIdentity for stint's own keys in the home account.
 */
class CrossAccountIssuanceTest {
  private static final String OTHER_ADMIN = "arn:aws:iam::222233334444:role/Admin";
  private static final String OWN_ADMIN = "arn:aws:iam::111122223333:role/Admin";
  private static final String OTHER_BROKER = "arn:aws:iam::222233334444:role/stint-broker";
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

  private AwsMinter minter(Optional<String> brokerRole) {
    clients =
        new AwsClients(
            vertx,
            new AwsSettings(
                    Optional.of("eu-west-1"),
                    Optional.of(sts.uri()),
                    Optional.empty(),
                    AwsSettings.DEFAULT_SIGNIN,
                    FAST_CALLS)
                .withBrokerRole(brokerRole),
            STINT_IDENTITY,
            4);
    return new AwsMinter(clients, tokens, executor, clock);
  }

  private AwsMinterTest.Request request(String roleArn, AwsTarget.Mode mode) {
    Instant grantEnds = now.plus(Duration.ofHours(1));
    return new AwsMinterTest.Request(
        new AwsTarget(roleArn, mode, Optional.empty()),
        new MintOrder(
            "aws-other-admin",
            SourceNetworks.ANY,
            new IssuedUnder.Grant("g-7f3a"),
            "jane@example.com",
            "https://idp.example.com",
            "jane",
            Duration.ofMinutes(30),
            grantEnds,
            ParameterValues.NONE,
            Optional.empty()));
  }

  @Test
  void aRoleInAnAccountStintCannotRevokeInIsRefusedWithoutSayingWhichAccounts() {
    MintException e =
        failure(
            AwsMinterTest.mint(
                minter(Optional.empty()), request(OTHER_ADMIN, AwsTarget.Mode.ASSUME_ROLE)));

    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(e.retryable()).isFalse();
    assertThat(e.detail())
        .isEqualTo(
            "stint cannot issue credentials for profile aws-other-admin:"
                + " a revocation could not reach its role's AWS account")
        .doesNotContain("222233334444")
        .doesNotContain("111122223333");
    assertThat(sts.assumeCalls()).isEmpty();
  }

  @Test
  void aRoleInStintsOwnAccountIsIssuedAndStintIsAskedWhoItIsOnlyOnce() throws Exception {
    AwsMinter minter = minter(Optional.empty());
    AwsMinterTest.mint(minter, request(OWN_ADMIN, AwsTarget.Mode.ASSUME_ROLE))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    AwsMinterTest.mint(minter, request(OWN_ADMIN, AwsTarget.Mode.ASSUME_ROLE))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    // One call of the SDK's (its retries carry the same invocation id).
    assertThat(
            sts.calls().stream()
                .filter(c -> "GetCallerIdentity".equals(c.param("Action")))
                .map(c -> c.headers().get("amz-sdk-invocation-id"))
                .distinct())
        .hasSize(1);
  }

  /**
   * With a broker role another account of stint's partition is reachable once stint has assumed the
   * broker role there: STS is asked who stint is (only its answer names stint's partition; a role
   * in another partition is out of any broker role's reach) and the broker role is assumed, each
   * once for two issuances.
   */
  @Test
  void withABrokerRoleAnotherAccountIsIssuedOnceItsBrokerRoleIsAssumed() throws Exception {
    AwsMinter minter = minter(Optional.of("stint-broker"));
    AwsMinterTest.mint(minter, request(OTHER_ADMIN, AwsTarget.Mode.ASSUME_ROLE))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    AwsMinterTest.mint(minter, request(OTHER_ADMIN, AwsTarget.Mode.ASSUME_ROLE))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    // A busy machine may make the SDK retry a call: invocations, not calls, are counted.
    assertThat(invocations("GetCallerIdentity", null)).isEqualTo(1);
    assertThat(invocations("AssumeRole", OTHER_BROKER)).isEqualTo(1);
    assertThat(invocations("AssumeRole", OTHER_ADMIN)).isEqualTo(2);
    assertThat(sts.calls())
        .allSatisfy(c -> assertThat(c.param("RoleArn")).isIn(null, OTHER_BROKER, OTHER_ADMIN));
  }

  /**
   * A broker role stint cannot assume in the role's account (never created there, or its trust
   * policy does not let stint in): the issuance is refused before the role is assumed, since a
   * revocation there could only fail. The refusal is not kept: once the broker role is there, the
   * next issuance goes through.
   */
  @Test
  void aBrokerRoleStintCannotAssumeRefusesTheIssuanceUntilItCan() throws Exception {
    AwsMinter minter = minter(Optional.of("stint-broker"));
    sts.failNext(FakeSts.Failure.ACCESS_DENIED);

    MintException e =
        failure(AwsMinterTest.mint(minter, request(OTHER_ADMIN, AwsTarget.Mode.ASSUME_ROLE)));

    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(e.detail()).doesNotContain("222233334444", "111122223333", "arn:");
    assertThat(invocations("AssumeRole", OTHER_ADMIN)).isZero();

    AwsMinterTest.mint(minter, request(OTHER_ADMIN, AwsTarget.Mode.ASSUME_ROLE))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThat(invocations("AssumeRole", OTHER_ADMIN)).isEqualTo(1);
  }

  /** How many SDK invocations sent {@code action} (on {@code roleArn}, when not null). */
  private long invocations(String action, String roleArn) {
    return sts.calls().stream()
        .filter(c -> action.equals(c.param("Action")))
        .filter(c -> roleArn == null || roleArn.equals(c.param("RoleArn")))
        .map(c -> c.headers().get("amz-sdk-invocation-id"))
        .distinct()
        .count();
  }

  @Test
  void whenStsCannotSayWhoStintIsNothingIsIssuedAndTheCallerMayTryAgain() throws Exception {
    sts.failCallerIdentity(true);
    AwsMinter minter = minter(Optional.empty());

    MintException e =
        failure(AwsMinterTest.mint(minter, request(OWN_ADMIN, AwsTarget.Mode.ASSUME_ROLE)));

    assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
    assertThat(e.retryable()).isTrue();
    assertThat(sts.assumeCalls()).isEmpty();

    sts.failCallerIdentity(false);
    AwsMinterTest.mint(minter, request(OWN_ADMIN, AwsTarget.Mode.ASSUME_ROLE))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThat(sts.assumeCalls()).hasSize(1);
  }

  /**
   * web_identity mints a role a revocation can reach (stint's own account, or another through the
   * broker role): STS is asked who stint is with stint's keys, since the revocation will write with
   * them, but the AssumeRoleWithWebIdentity itself is never signed with them.
   */
  @Test
  void webIdentityChecksTheRoleIsReachableButNeverSignsItsAssumeCall() throws Exception {
    AwsMinterTest.mint(minter(Optional.empty()), request(OWN_ADMIN, AwsTarget.Mode.WEB_IDENTITY))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    AwsMinterTest.mint(
            minter(Optional.of("stint-broker")), request(OTHER_ADMIN, AwsTarget.Mode.WEB_IDENTITY))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    // Signed with stint's keys: who stint is, and the broker role's check; never the mint.
    assertThat(sts.calls())
        .filteredOn(c -> c.headers().containsKey("Authorization"))
        .isNotEmpty()
        .allSatisfy(
            c ->
                assertThat(
                        "GetCallerIdentity".equals(c.param("Action"))
                            || OTHER_BROKER.equals(c.param("RoleArn")))
                    .isTrue());
    assertThat(sts.calls())
        .filteredOn(c -> "AssumeRoleWithWebIdentity".equals(c.param("Action")))
        .hasSize(2)
        .allSatisfy(c -> assertThat(c.headers()).doesNotContainKey("Authorization"));
  }

  private Throwable mintedWithoutBroker(AwsMinterTest.Request request) {
    return catchThrowable(
        () ->
            AwsMinterTest.mint(minter(Optional.empty()), request)
                .get(Patience.seconds(10), TimeUnit.MILLISECONDS));
  }

  /**
   * A web_identity profile on a role of another account, no broker role: its revocation could only
   * fail, so the session is not handed out (stint's own account is asked with its own keys, which
   * revocation needs anyway).
   */
  @Test
  void aWebIdentityRoleInAnAccountRevocationCannotReachIsRefused() {
    Throwable t =
        mintedWithoutBroker(
            request("arn:aws:iam::222233334444:role/Admin", AwsTarget.Mode.WEB_IDENTITY));
    assertThat(t).as("minted a session no revocation can end").isNotNull();
    assertThat(t.getCause()).isInstanceOf(MintException.class);
  }

  /**
   * An assume_role profile on an aws-cn role whose account number equals stint's own is not stint's
   * own: its revocation would write on the same-named role of stint's commercial account.
   */
  @Test
  void aRoleOfAnotherPartitionWithStintsAccountNumberIsRefused() {
    Throwable t =
        mintedWithoutBroker(
            request("arn:aws-cn:iam::111122223333:role/Admin", AwsTarget.Mode.ASSUME_ROLE));
    assertThat(t).as("the issuance check let an aws-cn role through as stint's own").isNotNull();
  }
}
