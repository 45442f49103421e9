package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.Patience;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Review of the cross-account reach: the account a role is in is its partition and its number, and
 * stint's own account is that of the identity signing now, not the one it had at start.
 */
class AwsAccountsOwnIdentityTest {
  private static final String OWN = "111122223333";

  /** stint's own account: its number, in the commercial partition. */
  private static final AwsAccount OWN_ACCOUNT = new AwsAccount("aws", OWN);

  /**
   * An account number names an account only within its partition: aws-cn and aws-us-gov accounts
   * are other accounts even with the same twelve digits. A role there must not be taken for one of
   * stint's own account, or the revocation's deny is written (and read back, "applied") on the
   * same-named role of stint's own commercial account, and the real session keeps working.
   */
  @Test
  void aRoleInAnotherPartitionIsNotInStintsOwnAccount() {
    assertThat(
            AwsAccounts.reach(
                OWN_ACCOUNT, "arn:aws-cn:iam::" + OWN + ":role/prod-admin", Optional.empty()))
        .as("aws-cn role with stint's own account number")
        .isNotInstanceOf(AwsAccounts.Reach.Own.class);
    assertThat(
            AwsAccounts.reach(
                OWN_ACCOUNT,
                "arn:aws-us-gov:iam::" + OWN + ":role/prod-admin",
                Optional.of("stint-broker")))
        .as("GovCloud role with stint's own account number")
        .isNotInstanceOf(AwsAccounts.Reach.Own.class);
  }

  /**
   * A broker role is assumed in the partition of stint's own identity only: a role of another
   * partition is out of reach with a broker role configured too, whatever its account number, since
   * a broker ARN built there would name a role stint's credentials cannot assume.
   */
  @ParameterizedTest
  @CsvSource({
    "arn:aws-cn:iam::111122223333:role/prod-admin",
    "arn:aws-cn:iam::444455556666:role/prod-admin",
    "arn:aws-us-gov:iam::444455556666:role/prod-admin"
  })
  void aBrokerRoleNeverReachesAnotherPartition(String role) {
    assertThat(AwsAccounts.reach(OWN_ACCOUNT, role, Optional.of("stint-broker")))
        .isInstanceOf(AwsAccounts.Reach.Unreachable.class);
  }

  @Test
  void aBrokerRoleReachesAnotherAccountOfTheSamePartitionThroughItsOwnArn() {
    assertThat(
            AwsAccounts.reach(
                OWN_ACCOUNT,
                "arn:aws:iam::444455556666:role/prod-admin",
                Optional.of("stint-broker")))
        .isEqualTo(
            new AwsAccounts.Reach.Broker(
                new AwsAccount("aws", "444455556666"),
                "arn:aws:iam::444455556666:role/stint-broker"));
    assertThat(
            AwsAccounts.reach(
                OWN_ACCOUNT, "arn:aws:iam::444455556666:role/prod-admin", Optional.empty()))
        .isInstanceOf(AwsAccounts.Reach.Unreachable.class);
  }

  /** An STS that answers whichever account its identity is in now. */
  private static StsAsyncClient sts(AtomicReference<String> account, AtomicInteger asked) {
    return new StsAsyncClient() {
      @Override
      public CompletableFuture<GetCallerIdentityResponse> getCallerIdentity() {
        asked.incrementAndGet();
        return CompletableFuture.completedFuture(
            GetCallerIdentityResponse.builder()
                .account(account.get())
                .arn("arn:aws:sts::" + account.get() + ":assumed-role/stint/i-1")
                .build());
      }

      @Override
      public String serviceName() {
        return "sts";
      }

      @Override
      public void close() {}
    };
  }

  /**
   * stint's own credentials come from the default chain and rotate (container credentials, IRSA, a
   * profile file re-read): when they come to be of another account, the account asked once at start
   * is still taken as stint's own, and a revocation for a role of the old account is signed by the
   * new one, landing on its same-named role.
   *
   * <p>The chain's credentials rotate with their account: an access key id belongs to exactly one
   * account, so credentials of another account come with another key id (the review's first version
   * kept the key and changed only STS's answer, which AWS cannot do).
   */
  @Test
  void stintsOwnAccountFollowsItsCredentialsWhenTheyRotate() throws Exception {
    AtomicReference<String> account = new AtomicReference<>(OWN);
    AtomicReference<String> key = new AtomicReference<>("AKIAOLD");
    AtomicInteger asked = new AtomicInteger();
    AwsAccounts accounts =
        new AwsAccounts(
            sts(account, asked),
            null,
            () -> AwsBasicCredentials.create(key.get(), "s"),
            Optional.empty());
    assertThat(accounts.own().get(Patience.seconds(1), TimeUnit.MILLISECONDS))
        .isEqualTo(OWN_ACCOUNT);
    assertThat(accounts.own().get(Patience.seconds(1), TimeUnit.MILLISECONDS))
        .isEqualTo(OWN_ACCOUNT);
    assertThat(asked).as("kept while the key is the same").hasValue(1);

    // the chain now signs as a role of another account
    account.set("444455556666");
    key.set("ASIANEW");
    assertThat(accounts.reachNow("arn:aws:iam::" + OWN + ":role/prod-admin"))
        .as("signed by 444455556666, a role of " + OWN + " is not within stint's own reach")
        .isNotInstanceOf(AwsAccounts.Reach.Own.class);
    assertThat(accounts.reachNow("arn:aws:iam::444455556666:role/prod-admin"))
        .isInstanceOf(AwsAccounts.Reach.Own.class);
    assertThat(asked).as("asked again once, for the new key").hasValue(2);
  }

  /**
   * A GetCallerIdentity that throws something other than an SdkException while being sent leaves
   * its unanswered future in the cache: every later need waits on it forever (issuance hangs, a
   * revocation's {@code join()} blocks its IAM thread for good).
   */
  @Test
  void aCallThatThrowsDoesNotLeaveEveryLaterOneWaitingForever() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    StsAsyncClient throwing =
        new StsAsyncClient() {
          @Override
          public CompletableFuture<GetCallerIdentityResponse> getCallerIdentity() {
            if (asked.incrementAndGet() == 1) {
              throw new IllegalStateException("executor rejected the call");
            }
            return CompletableFuture.completedFuture(
                GetCallerIdentityResponse.builder().account(OWN).arn("arn:aws:sts::x").build());
          }

          @Override
          public String serviceName() {
            return "sts";
          }

          @Override
          public void close() {}
        };
    AwsAccounts accounts =
        new AwsAccounts(
            throwing,
            null,
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIA", "s")),
            Optional.empty());
    try {
      accounts.own();
    } catch (IllegalStateException expected) {
      // the first call's own failure
    }
    CompletableFuture<AwsAccount> next = accounts.own();
    assertThat(next)
        .as("the next need asks again (or fails), it does not wait on the lost call forever")
        .succeedsWithin(java.time.Duration.ofSeconds(2));
  }
}
