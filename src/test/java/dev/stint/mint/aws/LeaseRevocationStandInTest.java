package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cloud.AwsTarget;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import dev.stint.demo.IamStandIn;
import dev.stint.demo.StsStandIn;
import dev.stint.mint.IssuedUnder;
import dev.stint.mint.MintOrder;
import dev.stint.standin.S3StandIn;
import dev.stint.standin.SigningKeys;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import dev.stint.testing.TestJwtSigner;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A task lease revoked alone, end to end through the stand-ins: sessions minted by the real {@link
 * AwsMinter} at the STS stand-in, the deny written by the real {@link AwsRevocations} to the IAM
 * stand-in from the records as the ledger groups them (the grant, the session's source identity),
 * and S3 calls judged by the S3 stand-in against the role's policies as IAM would. The lease's
 * sessions are refused; the grant's own session and its other lease's are not, until the grant is
 * revoked too.
 */
class LeaseRevocationStandInTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/lease-admin";
  private static final String GRANT = "grt_janejanejanejanejanejane";
  private static final String LEASE = "lse_abcdefghijklmnopqrstuvwx";
  private static final String OTHER_LEASE = "lse_zyxwvutsrqponmlkjihgfedc";
  private static final String READ =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":[\"s3:ListBucket\",\"s3:GetObject\"],\"Resource\":\"*\"}]}";

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final StsStandIn sts = new StsStandIn(clock);
  private final IamStandIn iam =
      new IamStandIn()
          .signedBy(sts)
          .createRole("lease-admin")
          .putRolePolicy("lease-admin", "read", READ);
  private final S3StandIn s3 =
      new S3StandIn(sts::minted, SigningKeys.HOME_ACCOUNT, iam::documents, clock)
          .bucket("team-logs", "us-east-1")
          .object("team-logs", "today.txt", "hello", "text/plain");
  private final SdkHttpClient http = Apache5HttpClient.create();
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final AwsClients clients =
      new AwsClients(
          vertx,
          new AwsSettings(
              Optional.of("us-east-1"),
              Optional.of(sts.uri()),
              Optional.of(iam.uri()),
              AwsSettings.DEFAULT_SIGNIN,
              AwsMinterTest.FAST_CALLS),
          AwsMinterTest.STINT_IDENTITY,
          2);
  private final AwsMinter minter =
      new AwsMinter(clients, new TestJwtSigner(clock), executor, clock);
  private final AwsRevocations revocations = new AwsRevocations(clients, executor, clock, 0);

  @AfterEach
  void stop() {
    clients.close();
    http.close();
    s3.close();
    iam.close();
    sts.close();
    executor.shutdownNow();
    vertx.close();
  }

  @Test
  void aRevokedLeasesSessionsAreRefusedAndItsGrantsAreNotUntilTheGrantIsRevoked() throws Exception {
    AwsSession grant = mint(new IssuedUnder.Grant(GRANT));
    AwsSession lease = mint(new IssuedUnder.Lease(GRANT, LEASE));
    AwsSession other = mint(new IssuedUnder.Lease(GRANT, OTHER_LEASE));
    for (AwsSession s : List.of(grant, lease, other)) {
      assertThat(reads(s)).as(s.sourceIdentity()).isTrue();
    }

    // The lease revoked: its credentials, grouped as the ledger groups them.
    write(new RoleDenies.Denied(GRANT, lease.sourceIdentity()));

    assertThat(iam.policy("lease-admin", "stint-revocations").orElseThrow())
        .contains("\"*." + LEASE + "\"")
        .doesNotContain(GRANT);
    assertThat(reads(lease)).as("the revoked lease's session").isFalse();
    assertThat(reads(grant)).as("the grant's own session").isTrue();
    assertThat(reads(other)).as("the grant's other lease").isTrue();

    // The grant revoked as well: its own sessions and every lease's.
    write(
        new RoleDenies.Denied(GRANT, grant.sourceIdentity()),
        new RoleDenies.Denied(GRANT, lease.sourceIdentity()),
        new RoleDenies.Denied(GRANT, other.sourceIdentity()));

    for (AwsSession s : List.of(grant, lease, other)) {
      assertThat(reads(s)).as(s.sourceIdentity()).isFalse();
    }
  }

  private AwsSession mint(IssuedUnder under) throws Exception {
    Instant grantEnds = clock.instant().plus(Duration.ofHours(2));
    return minter
        .mint(
            new AwsTarget(ROLE, AwsTarget.Mode.ASSUME_ROLE, Optional.empty()),
            new MintOrder(
                "lease-admin",
                SourceNetworks.ANY,
                under,
                "jane@example.com",
                "https://idp.example.com",
                "jane",
                Duration.ofHours(1),
                grantEnds,
                ParameterValues.NONE,
                Optional.empty()))
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  private void write(RoleDenies.Denied... revoked) throws Exception {
    assertThat(
            revocations
                .write(new RoleDenies(ROLE, List.of(revoked), Optional.empty()))
                .get(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .isInstanceOf(AwsRevocations.Written.Applied.class);
  }

  /** Whether the session may read the bucket; an S3 refusal must be S3's AccessDenied. */
  private boolean reads(AwsSession session) {
    try (S3Client client =
        S3Client.builder()
            .httpClient(http)
            .endpointOverride(s3.uri())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(
                        session.accessKeyId(), session.secretAccessKey(), session.sessionToken())))
            .build()) {
      try {
        return client
            .getObjectAsBytes(b -> b.bucket("team-logs").key("today.txt"))
            .asUtf8String()
            .equals("hello");
      } catch (S3Exception e) {
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        return false;
      }
    }
  }

  /** The stand-in judges the lease's tag as IAM would: a deny on it reaches that lease alone. */
  @Test
  void aDenyOnTheLeaseTagReachesTheLeasesSessionsOnly() throws Exception {
    AwsSession grant = mint(new IssuedUnder.Grant(GRANT));
    AwsSession lease = mint(new IssuedUnder.Lease(GRANT, LEASE));

    assertThat(sts.minted(lease.accessKeyId()).orElseThrow().context().tags())
        .containsEntry("stint:lease", LEASE)
        .containsEntry("stint:grant", GRANT);
    iam.putRolePolicy(
        "lease-admin",
        "operator-deny",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\","
            + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
            + "{\"aws:PrincipalTag/stint:lease\":\""
            + LEASE
            + "\"}}}]}");

    assertThat(reads(lease)).isFalse();
    assertThat(reads(grant)).isTrue();
  }
}
