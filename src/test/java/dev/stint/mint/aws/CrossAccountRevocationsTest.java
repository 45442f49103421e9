package dev.stint.mint.aws;

import static dev.stint.mint.aws.AwsMinterTest.FAST_CALLS;
import static dev.stint.mint.aws.AwsMinterTest.STINT_IDENTITY;
import static dev.stint.mint.aws.AwsMinterTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.error.ErrorCode;
import dev.stint.mint.MintException;
import dev.stint.mint.aws.AwsRevocations.Written;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.Patience;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A role in another account than stint's own, with a same-named role in stint's own account (Admin
 * in every account of an organisation): the deny is written on the role of the role's account,
 * through that account's broker role, and never on stint's own same-named role, with or without a
 * broker role. Real SDK clients against the STS and IAM fakes, which keep one set of roles per
 * account and learn the caller's account from the key that signs.
 */
class CrossAccountRevocationsTest {
  private static final String OWN = "111122223333";
  private static final String OTHER = "222233334444";
  private static final String OTHER_ADMIN = "arn:aws:iam::" + OTHER + ":role/Admin";
  private static final String POLICY = RevocationPolicy.NAME;
  private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
  private final FakeSts sts = new FakeSts();
  private final FakeIam iam =
      new FakeIam().createRole("Admin").createRole(OTHER, "Admin").signedBy(sts);
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private AwsClients clients;

  @AfterEach
  void stop() {
    if (clients != null) {
      clients.close();
    }
    iam.close();
    sts.close();
    executor.shutdownNow();
    vertx.close();
  }

  private AwsRevocations revocations(Optional<String> brokerRole) {
    clients =
        new AwsClients(
            vertx,
            new AwsSettings(
                    Optional.of("eu-west-1"),
                    Optional.of(sts.uri()),
                    Optional.of(iam.uri()),
                    AwsSettings.DEFAULT_SIGNIN,
                    FAST_CALLS)
                .withBrokerRole(brokerRole),
            STINT_IDENTITY,
            2);
    return new AwsRevocations(clients, executor, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static RoleDenies denies(String roleArn) {
    String grant = "grt_abcdefghijklmnopqrst0001";
    return new RoleDenies(
        roleArn,
        List.of(
            new RoleDenies.Denied(
                grant, SourceIdentities.of("https://login.example.com/t", "alice", grant))),
        Optional.empty());
  }

  @Test
  void theDenyLandsOnTheRoleOfTheRolesOwnAccountThroughItsBrokerRole() throws Exception {
    Written written =
        revocations(Optional.of("stint/broker"))
            .write(denies(OTHER_ADMIN))
            .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    assertThat(written).isInstanceOf(Written.Applied.class);
    assertThat(iam.policy(OTHER, "Admin", POLICY)).get().asString().contains("grt_");
    assertThat(iam.policy(OWN, "Admin", POLICY)).isEmpty();
    assertThat(sts.assumeCalls())
        .isNotEmpty()
        .allSatisfy(
            c -> {
              assertThat(c.param("RoleArn"))
                  .isEqualTo("arn:aws:iam::" + OTHER + ":role/stint/broker");
              assertThat(c.param("RoleSessionName")).isEqualTo("stint-broker");
            });
  }

  @Test
  void aRoleOfStintsOwnAccountIsWrittenWithItsOwnIdentityEvenWithABrokerRole() throws Exception {
    revocations(Optional.of("stint-broker"))
        .write(denies("arn:aws:iam::" + OWN + ":role/Admin"))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    assertThat(iam.policy(OWN, "Admin", POLICY)).isPresent();
    assertThat(iam.policy(OTHER, "Admin", POLICY)).isEmpty();
    assertThat(sts.assumeCalls()).isEmpty();
  }

  @Test
  void withoutABrokerRoleAnotherAccountsRoleFailsAndStintsOwnSameNamedRoleIsUntouched() {
    MintException e = failure(revocations(Optional.empty()).write(denies(OTHER_ADMIN)));

    assertThat(e.retryable()).isFalse();
    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(e.detail())
        .isEqualTo(
            "could not write the AWS revocation denies on role Admin: the role is in AWS account "
                + OTHER
                + ", not stint's own ("
                + OWN
                + "), and no broker role is configured to reach it (set aws.broker_role)");
    assertThat(iam.calls()).isEmpty();
    assertThat(iam.policy(OWN, "Admin", POLICY)).isEmpty();
    assertThat(iam.policy(OTHER, "Admin", POLICY)).isEmpty();
  }

  @Test
  void aBrokerRoleStintMayNotAssumeFailsAndWritesNothing() {
    sts.failNext(FakeSts.Failure.ACCESS_DENIED);

    MintException e = failure(revocations(Optional.of("stint-broker")).write(denies(OTHER_ADMIN)));

    assertThat(e.retryable()).isFalse();
    assertThat(e.detail())
        .contains("arn:aws:iam::" + OTHER + ":role/stint-broker")
        .contains("iam:PutRolePolicy");
    assertThat(iam.calls()).isEmpty();
    assertThat(iam.policy(OWN, "Admin", POLICY)).isEmpty();
  }

  @Test
  void whenStsCannotSayWhoStintIsNothingIsWrittenAndTheRevocationIsTriedAgain() throws Exception {
    sts.failCallerIdentity(true);
    AwsRevocations revocations = revocations(Optional.of("stint-broker"));

    MintException e = failure(revocations.write(denies(OTHER_ADMIN)));

    assertThat(e.retryable()).isTrue();
    assertThat(e.detail()).contains("AWS STS is unavailable");
    assertThat(iam.calls()).isEmpty();

    // The failure was not kept: the next revocation asks again, and writes.
    sts.failCallerIdentity(false);
    revocations.write(denies(OTHER_ADMIN)).get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThat(iam.policy(OTHER, "Admin", POLICY)).isPresent();
  }

  @Test
  void stintsOwnAccountIsAskedOnceAndKept() throws Exception {
    AwsRevocations revocations = revocations(Optional.empty());
    revocations
        .write(denies("arn:aws:iam::" + OWN + ":role/Admin"))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    revocations
        .write(denies("arn:aws:iam::" + OWN + ":role/Admin"))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);

    List<Call> asked =
        sts.calls().stream().filter(c -> "GetCallerIdentity".equals(c.param("Action"))).toList();
    // One call of the SDK's (its retries carry the same invocation id), signed by stint's own key.
    assertThat(asked.stream().map(c -> c.headers().get("amz-sdk-invocation-id")).distinct())
        .hasSize(1);
    assertThat(asked.get(0).headers().get("Authorization").get(0))
        .contains("AKIASTINTTESTKEY0001/");
  }

  /**
   * Review: an aws-cn (or GovCloud) role whose account number is the same twelve digits as stint's
   * own commercial account is another account. Taken for stint's own, its deny is written on
   * stint's own same-named Admin, read back and reported applied; the real session, in the other
   * partition, keeps working. It must fail (as an unreachable account does) and leave stint's own
   * Admin untouched.
   */
  @Test
  void aRoleOfAnotherPartitionIsNeverWrittenOnStintsOwnSameNamedRole() {
    MintException e =
        failure(
            revocations(Optional.empty()).write(denies("arn:aws-cn:iam::" + OWN + ":role/Admin")));

    assertThat(e.retryable()).isFalse();
    assertThat(iam.policy(OWN, "Admin", POLICY)).isEmpty();
  }
}
