package dev.stint.mint.aws;

import static dev.stint.mint.aws.AwsMinterTest.FAST_CALLS;
import static dev.stint.mint.aws.AwsMinterTest.STINT_IDENTITY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.mint.MintException;
import dev.stint.mint.SessionRevoker.Cut;
import dev.stint.mint.SessionRevoker.Cutoff;
import dev.stint.mint.SessionRevoker.Ended;
import dev.stint.mint.SessionRevoker.PersonCutoff;
import dev.stint.mint.SessionRevoker.Records;
import dev.stint.mint.SessionRevoker.Revoked;
import dev.stint.mint.SessionRevoker.UserCutoff;
import dev.stint.standin.SigningKeys;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.Patience;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The member account's portal revocation policy as the revoker writes it from the recorded user
 * cutoffs, against the strict IAM stand-in: a new default version each time, the oldest other
 * version deleted when five are kept; within IAM's limit for a managed policy, users collapsed by
 * role, then each role widened, and a failure for an operator when not even that fits.
 */
class PortalRevokerTest {
  static final String ACCOUNT = SigningKeys.HOME_ACCOUNT;
  static final String POLICY = "arn:aws:iam::" + ACCOUNT + ":policy/stint/stint-portal-revocations";

  private final Instant now = Instant.parse("2026-11-29T12:00:00Z");
  private final FakeSts sts = new FakeSts();
  private final FakeIam iam = new FakeIam().signedBy(sts);
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final List<UserCutoff> cutoffs = new ArrayList<>();
  private AwsClients clients;
  private AwsSessionRevoker revoker;

  @BeforeEach
  void start() {
    iam.managed().create(ACCOUNT, PortalPolicy.PATH, PortalPolicy.NAME, PortalPolicy.INITIAL);
    clients =
        new AwsClients(
            vertx,
            new AwsSettings(
                Optional.of("eu-west-1"),
                Optional.of(sts.uri()),
                Optional.of(iam.uri()),
                AwsSettings.DEFAULT_SIGNIN,
                FAST_CALLS),
            STINT_IDENTITY,
            2);
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    revoker = new AwsSessionRevoker(vertx, new AwsRevocations(clients, executor, clock, 0), clock);
  }

  @AfterEach
  void stop() {
    clients.close();
    iam.close();
    sts.close();
    executor.shutdownNow();
    vertx.close();
  }

  static String roleName(int n) {
    return "AWSReservedSSO_PermissionSet" + n + "_0123456789abcdef";
  }

  static String role(int n) {
    return "arn:aws:iam::" + ACCOUNT + ":role/aws-reserved/sso.amazonaws.com/" + roleName(n);
  }

  /** {@code user}'s portal session of role {@code n} issued at {@code issued}: denied? */
  private boolean denied(int n, String user, Instant issued) {
    if (iam.managed().attachedTo(ACCOUNT + "/" + roleName(n)).isEmpty()) {
      iam.provisioned(ACCOUNT, roleName(n), List.of(POLICY));
    }
    return iam.denies(roleName(n), Session.portal(role(n), "AROAROLE" + n, user, issued), now);
  }

  private void revoke(int role, String user, Instant at) {
    cutoffs.add(new UserCutoff(role(role), user, at, at.plus(Duration.ofHours(12))));
  }

  private Ended end() throws Exception {
    return revoker
        .end(POLICY, "grt_asking", new Recorded())
        .toCompletionStage()
        .toCompletableFuture()
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  @Test
  void eachRevokeIsANewDefaultVersionAndTheOldestOtherGoesAtFive() throws Exception {
    for (int i = 0; i < 6; i++) {
      revoke(1, "user" + i + "@example.com", now.minusSeconds(600 - i));
      assertThat(end().widened()).isEmpty();
    }

    assertThat(iam.managed().versions(POLICY)).isEqualTo(5);
    for (int i = 0; i < 6; i++) {
      assertThat(denied(1, "user" + i + "@example.com", now.minusSeconds(700))).isTrue();
    }
    assertThat(denied(1, "user0@example.com", now)).as("a session after the revoke").isFalse();
    assertThat(denied(2, "user0@example.com", now.minusSeconds(700)))
        .as("the same user's session of another permission set's role")
        .isFalse();
    assertThat(denied(1, "other@example.com", now.minusSeconds(700))).isFalse();
  }

  /**
   * IAM compares issue times to the second: a session issued earlier in the revoke's own second is
   * still denied, and one issued from the next whole second on is not.
   */
  @Test
  void aSessionIssuedEarlierInTheCutoffsOwnSecondIsDenied() throws Exception {
    Instant cutoff = now.minusSeconds(60).plusMillis(700);
    revoke(1, "pat@example.com", cutoff);
    end();

    assertThat(denied(1, "pat@example.com", cutoff.minusMillis(500))).isTrue();
    assertThat(denied(1, "pat@example.com", cutoff.plusMillis(300))).isFalse();
  }

  /**
   * A session's {@code aws:userid} is the role's id, a colon and the user name: another user whose
   * name ends in a colon and the revoked user's name is somebody else, one by one or collapsed.
   */
  @Test
  void aUserWhoseNameEndsInAColonAndTheRevokedNameIsNotDenied() throws Exception {
    revoke(1, "pat@example.com", now.minusSeconds(60));
    end();

    assertThat(denied(1, "pat@example.com", now.minusSeconds(120))).isTrue();
    assertThat(denied(1, "team:pat@example.com", now.minusSeconds(120))).isFalse();

    for (int i = 0; i < 40; i++) {
      revoke(1, "user" + i + "@example.com", now.minusSeconds(600 - i));
    }
    end();
    assertThat(denied(1, "user7@example.com", now.minusSeconds(700))).isTrue();
    assertThat(denied(1, "a:user7@example.com", now.minusSeconds(700))).isFalse();
  }

  /**
   * Collapsed, a user whose name ends in a colon and another revoked user's name is denied too: the
   * other's "*:*:<user>" must not spare them.
   */
  @Test
  void twoRevokedUsersOneNamedLikeTheOtherWithAColonAreBothDeniedCollapsed() throws Exception {
    for (int i = 0; i < 40; i++) {
      revoke(1, "user" + i + "@example.com", now.minusSeconds(600 - i));
    }
    revoke(1, "team:user7@example.com", now.minusSeconds(500));
    end();

    assertThat(denied(1, "user7@example.com", now.minusSeconds(700))).isTrue();
    assertThat(denied(1, "team:user7@example.com", now.minusSeconds(700))).isTrue();
    assertThat(denied(1, "a:user8@example.com", now.minusSeconds(700))).isFalse();
  }

  @Test
  void nothingInForceWritesTheHarmlessDocument() throws Exception {
    revoke(1, "pat@example.com", now.minusSeconds(60));
    end();
    cutoffs.clear();

    end();

    assertThat(denied(1, "pat@example.com", now.minusSeconds(120))).isFalse();
  }

  @Test
  void usersThatDoNotFitOneByOneAreCollapsedByRoleCuttingNobodyElse() throws Exception {
    for (int i = 0; i < 40; i++) {
      revoke(1, "user" + i + "@example.com", now.minusSeconds(600 - i));
    }
    revoke(2, "pat@example.com", now.minusSeconds(300));

    Ended ended = end();

    assertThat(ended.widened()).isEmpty();
    assertThat(denied(1, "user0@example.com", now.minusSeconds(700))).isTrue();
    assertThat(denied(1, "user0@example.com", now.minusSeconds(570)))
        .as("user0's later session, before user39's revoke: collapsed with the others")
        .isTrue();
    assertThat(denied(1, "someone@example.com", now.minusSeconds(700))).isFalse();
    assertThat(denied(2, "user0@example.com", now.minusSeconds(700))).isFalse();
    assertThat(denied(2, "pat@example.com", now.minusSeconds(400))).isTrue();
  }

  @Test
  void rolesThatDoNotFitEvenCollapsedAreWidenedAndReported() throws Exception {
    for (int i = 0; i < 19; i++) {
      revoke(i, "person-with-a-long-name" + i + "@example.com", now.minusSeconds(600 - i));
    }

    Ended ended = end();

    assertThat(ended.widened()).isPresent();
    assertThat(ended.widened().get().target()).isEqualTo(POLICY);
    assertThat(ended.widened().get().why()).contains("19 permission set roles");
    assertThat(denied(3, "someone@example.com", now.minusSeconds(700)))
        .as("another person's earlier session of a widened role")
        .isTrue();
    assertThat(denied(3, "someone@example.com", now)).isFalse();
  }

  @Test
  void whatDoesNotFitEvenWidenedFailsForAnOperator() {
    for (int i = 0; i < 40; i++) {
      revoke(i, "pat" + i + "@example.com", now.minusSeconds(60));
    }

    assertThatThrownBy(this::end)
        .hasCauseInstanceOf(MintException.class)
        .hasMessageContaining("even one statement per role (40 roles) does not fit");
    assertThat(iam.managed().versions(POLICY)).as("nothing written").isEqualTo(1);
  }

  @Test
  void aUserNameHoldingAWildcardIsNeverACutoff() {
    for (String user : new String[] {"*", "p?t", "pat*", ""}) {
      assertThatThrownBy(() -> revoke(1, user, now))
          .as("user %s", user)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** The recorded user cutoffs; a portal policy's end reads nothing else. */
  private final class Recorded implements Records {
    @Override
    public Future<List<UserCutoff>> userCutoffs(String target, Instant at) {
      assertThat(target).isEqualTo(POLICY);
      return Future.succeededFuture(cutoffs.stream().filter(c -> c.until().isAfter(at)).toList());
    }

    @Override
    public Future<Void> confirmEnded(String target, Instant at) {
      return Future.succeededFuture();
    }

    @Override
    public Future<List<Revoked>> revokedOn(String target, Instant at) {
      throw new AssertionError("not read for a portal policy");
    }

    @Override
    public Future<Optional<Instant>> revokedUntil(String target, Instant at, Instant before) {
      throw new AssertionError("not read for a portal policy");
    }

    @Override
    public Future<Cut> cutBetween(
        String target, Optional<String> person, Instant at, Instant from, Instant before) {
      throw new AssertionError("not read for a portal policy");
    }

    @Override
    public Future<Optional<Cutoff>> cutoff(String target, Instant at) {
      throw new AssertionError("not read for a portal policy");
    }

    @Override
    public Future<Void> saveCutoff(String target, Cutoff cutoff, String grantId, Instant at) {
      throw new AssertionError("not written for a portal policy");
    }

    @Override
    public Future<List<PersonCutoff>> personCutoffs(String target, Instant at) {
      throw new AssertionError("not read for a portal policy");
    }

    @Override
    public Future<Void> savePersonCutoff(
        String target, PersonCutoff cutoff, String grantId, Instant at) {
      throw new AssertionError("not written for a portal policy");
    }
  }
}
