package dev.stint.mint.aws;

import static dev.stint.mint.aws.AwsMinterTest.FAST_CALLS;
import static dev.stint.mint.aws.AwsMinterTest.STINT_IDENTITY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stint.mint.IssuedUnder;
import dev.stint.mint.MintException;
import dev.stint.testing.FakeSts;
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
 * Review: issuance paths that still mint a session its revocation cannot end. stint's own keys are
 * in 111122223333 (the STS fake's home account).
 */
class CrossAccountIssuanceRefusalsTest {
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

  private AwsMinter minter() {
    clients =
        new AwsClients(
            vertx,
            new AwsSettings(
                    Optional.of("eu-west-1"),
                    Optional.of(sts.uri()),
                    Optional.empty(),
                    AwsSettings.DEFAULT_SIGNIN,
                    FAST_CALLS)
                .withBrokerRole(Optional.empty()),
            STINT_IDENTITY,
            4);
    return new AwsMinter(clients, tokens, executor, clock);
  }

  private AwsMintRequest request(String roleArn, AwsRole.Mode mode) {
    return new AwsMintRequest(
        new AwsRole(roleArn, mode, Optional.empty()),
        new IssuedUnder.Grant("g-7f3a"),
        "aws-admin",
        "jane@example.com",
        AwsMinterTest.SOURCE_IDENTITY,
        Duration.ofMinutes(30),
        now.plus(Duration.ofHours(1)));
  }

  private Throwable minted(AwsMintRequest request) {
    return catchThrowable(() -> minter().mint(request).get(10, TimeUnit.SECONDS));
  }

  /**
   * A web_identity profile on a role of another account, no broker role: minted, while its
   * revocation can only fail (docs/clouds.md admits it). The account is known without minting with
   * stint's keys (the revocation needs them anyway): the session must not be handed out.
   */
  @Test
  void aWebIdentityRoleInAnAccountRevocationCannotReachIsRefused() {
    Throwable t =
        minted(request("arn:aws:iam::222233334444:role/Admin", AwsRole.Mode.WEB_IDENTITY));
    assertThat(t).as("minted a session no revocation can end").isNotNull();
    assertThat(t.getCause()).isInstanceOf(MintException.class);
  }

  /**
   * An assume_role profile on an aws-cn role whose account number equals stint's own: the check
   * takes it for stint's own account and lets it through, while its revocation would write on the
   * same-named role of stint's own commercial account.
   */
  @Test
  void aRoleOfAnotherPartitionWithStintsAccountNumberIsRefused() {
    Throwable t =
        minted(request("arn:aws-cn:iam::111122223333:role/Admin", AwsRole.Mode.ASSUME_ROLE));
    assertThat(t).as("the issuance check let an aws-cn role through as stint's own").isNotNull();
  }
}
