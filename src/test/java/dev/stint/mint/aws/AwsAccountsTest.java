package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** The broker role's check before issuance: kept for a while on success, never on failure. */
class AwsAccountsTest {
  private static final String OTHER_ADMIN = "arn:aws:iam::222233334444:role/Admin";
  private static final String BROKER = "arn:aws:iam::222233334444:role/stint-broker";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T06:00:00Z"));
  private final List<String> assumed = new ArrayList<>();
  private boolean refuse;

  /** An STS that knows stint as 111122223333 and records (or refuses) each AssumeRole. */
  private final StsAsyncClient sts =
      new StsAsyncClient() {
        @Override
        public CompletableFuture<GetCallerIdentityResponse> getCallerIdentity() {
          return CompletableFuture.completedFuture(
              GetCallerIdentityResponse.builder()
                  .account("111122223333")
                  .arn("arn:aws:iam::111122223333:user/stint")
                  .build());
        }

        @Override
        public CompletableFuture<AssumeRoleResponse> assumeRole(AssumeRoleRequest request) {
          assumed.add(request.roleArn());
          return refuse
              ? CompletableFuture.failedFuture(
                  StsException.builder().message("AccessDenied").statusCode(403).build())
              : CompletableFuture.completedFuture(AssumeRoleResponse.builder().build());
        }

        @Override
        public String serviceName() {
          return "sts";
        }

        @Override
        public void close() {}
      };

  private final AwsAccounts accounts =
      new AwsAccounts(
          sts,
          null,
          StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASTINT", "s")),
          Optional.of("stint-broker"),
          clock);

  private boolean reachable() throws Exception {
    try {
      return accounts
          .unreachable(OTHER_ADMIN)
          .get(Patience.seconds(1), TimeUnit.MILLISECONDS)
          .isEmpty();
    } catch (ExecutionException e) {
      return false;
    }
  }

  @Test
  void aBrokerRoleAssumedOnceVouchesForItsAccountForAWhile() throws Exception {
    assertThat(reachable()).isTrue();
    clock.advance(AwsAccounts.BROKER_CHECKED_FOR.minusSeconds(1));
    assertThat(reachable()).isTrue();
    assertThat(assumed).containsExactly(BROKER);

    clock.advance(Duration.ofSeconds(1));
    refuse = true; // the broker role was deleted meanwhile
    assertThat(reachable()).as("checked again once the period is over").isFalse();
    assertThat(reachable()).as("a refusal is not kept: asked again").isFalse();
    assertThat(assumed).containsExactly(BROKER, BROKER, BROKER);

    refuse = false;
    assertThat(reachable()).isTrue();
  }
}
