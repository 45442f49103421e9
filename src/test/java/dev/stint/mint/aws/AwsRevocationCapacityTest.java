package dev.stint.mint.aws;

import static dev.stint.mint.aws.AwsMinterTest.FAST_CALLS;
import static dev.stint.mint.aws.AwsMinterTest.STINT_IDENTITY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.mint.aws.AwsRevocations.Written;
import dev.stint.standin.SigningKeys;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.Patience;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE §13: a role's per-grant denies hold at least 1,000 concurrently revoked grants with
 * live credentials before anything wider is written, within AWS's limits (10,240 characters inline,
 * 6,144 per managed policy, five versions, the role's quota of attached policies), through the real
 * SDK against an IAM fake that keeps those limits and judges sessions by every policy of the role.
 */
class AwsRevocationCapacityTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/prod-admin";
  private static final String HOME = SigningKeys.HOME_ACCOUNT + "/prod-admin";
  private final Instant now = Instant.parse("2026-11-27T10:00:00Z");
  private final FakeSts sts = new FakeSts();
  private final FakeIam iam = new FakeIam().createRole("prod-admin").signedBy(sts);
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private AwsClients clients;
  private AwsRevocations revocations;

  @BeforeEach
  void start() {
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
    revocations = new AwsRevocations(clients, executor, Clock.fixed(now, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    clients.close();
    iam.close();
    sts.close();
    executor.shutdownNow();
    vertx.close();
  }

  static RoleDenies.Denied grant(int i) {
    String id = "grt_" + String.format("%024d", i).replace('0', 'a');
    return new RoleDenies.Denied(
        id, SourceIdentities.of("https://login.example.com/t", "person" + i, id));
  }

  static List<RoleDenies.Denied> grants(int from, int n) {
    List<RoleDenies.Denied> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(grant(i));
    }
    return out;
  }

  private Written write(List<RoleDenies.Denied> grants) throws Exception {
    return revocations
        .write(new RoleDenies(ROLE, grants, Optional.empty()))
        .get(Patience.seconds(30), TimeUnit.MILLISECONDS);
  }

  private boolean denied(RoleDenies.Denied g, boolean chained) {
    Session s =
        new Session(
            chained ? Map.of() : Map.of("stint:grant", g.grantId()),
            Optional.of(g.sourceIdentity()),
            now.minusSeconds(60));
    return iam.denies("prod-admin", s, now.plus(Duration.ofMinutes(5)));
  }

  @Test
  void aThousandRevokedGrantsOfAThousandPeopleAreEachDeniedWithNoCutoff() throws Exception {
    List<RoleDenies.Denied> thousand = grants(0, 1_000);

    Written written = write(thousand);

    assertThat(written).isInstanceOf(Written.Applied.class);
    assertThat(thousand).allMatch(g -> denied(g, false)).allMatch(g -> denied(g, true));
    assertThat(denied(grant(5_000), false)).as("a grant nobody revoked").isFalse();
    String inline = iam.policy("prod-admin", RevocationPolicy.NAME).orElseThrow();
    assertThat(inline).doesNotContain(RevocationPolicy.BEFORE_TAGS);
    List<String> attached = iam.managed().attachedTo(HOME);
    assertThat(attached)
        .hasSizeBetween(3, AwsRevocations.DEFAULT_POLICIES)
        .allMatch(arn -> arn.startsWith("arn:aws:iam::111122223333:policy/stint/"));
    assertThat(iam.managed().documents(HOME))
        .allMatch(d -> RevocationPolicy.characters(d) <= RevocationPolicy.MAX_MANAGED_CHARS)
        .noneMatch(d -> d.contains(RevocationPolicy.BEFORE_TAGS));
  }

  /**
   * The real figure (docs/clouds.md): how many revoked grants, one person each, one role holds with
   * the inline policy and the default five managed policies, before anything wider.
   */
  @Test
  void theCapacityIsMeasuredAndOneMoreGrantDoesNotFit() throws Exception {
    int fit = capacity(AwsRevocations.DEFAULT_POLICIES);
    System.out.println(
        "revoked grants one role holds one by one (inline + "
            + AwsRevocations.DEFAULT_POLICIES
            + " managed policies): "
            + fit
            + "; inline alone: "
            + capacity(0));
    assertThat(fit).isGreaterThanOrEqualTo(1_000);

    assertThat(write(grants(0, fit))).isInstanceOf(Written.Applied.class);
    assertThat(write(grants(0, fit + 1))).isInstanceOf(Written.TooLarge.class);
    assertThat(grants(0, fit)).allMatch(g -> denied(g, true));
  }

  /** The most grants whose entries the layout places in the inline and {@code managed} slots. */
  private static int capacity(int managed) {
    List<DenyLayout.Slot> slots = new ArrayList<>();
    RoleDenies none = new RoleDenies(ROLE, List.of(), Optional.empty());
    slots.add(
        new DenyLayout.Slot(
            RevocationPolicy.base(Optional.empty(), none, Instant.EPOCH).policy(),
            RevocationPolicy.MAX_CHARS,
            Set.of()));
    for (int i = 0; i < managed; i++) {
      slots.add(
          new DenyLayout.Slot(
              RevocationPolicy.managedBase(), RevocationPolicy.MAX_MANAGED_CHARS, Set.of()));
    }
    List<DenyItem> items = new ArrayList<>();
    for (RoleDenies.Denied g : grants(0, 3_000)) {
      items.add(new DenyItem.Grant(RevocationPolicy.entry(g)));
    }
    return 3_000 - DenyLayout.place(slots, items).unplaced();
  }

  @Test
  void onlyFreeAttachmentSlotsAreUsedAndIamsQuotaIsAnAnswer() throws Exception {
    // The role's owners attached eight policies of their own: two of IAM's ten slots are left.
    for (int i = 0; i < 8; i++) {
      iam.managed().attachDirectly(HOME, "arn:aws:iam::aws:policy/Owners" + i);
    }

    Written fits = write(grants(0, 600));
    Written tooMany = write(grants(0, 1_000));

    assertThat(fits).isInstanceOf(Written.Applied.class);
    assertThat(tooMany)
        .isInstanceOfSatisfying(Written.TooLarge.class, w -> assertThat(w.byIam()).isTrue());
    assertThat(iam.managed().attachedTo(HOME)).hasSize(10);
    assertThat(grants(0, 600)).allMatch(g -> denied(g, false));
  }

  @Test
  void aPolicyKeepsAtMostFiveVersionsTheOldestNonDefaultDeletedFirst() throws Exception {
    List<RoleDenies.Denied> grants = new ArrayList<>(grants(0, 400));
    for (int i = 0; i < 8; i++) {
      grants.add(grant(10_000 + i));
      assertThat(write(grants)).isInstanceOf(Written.Applied.class);
    }

    String first = iam.managed().attachedTo(HOME).get(0);
    assertThat(iam.managed().versions(first)).isBetween(2, PolicyVersions.MAX_VERSIONS);
    assertThat(grants).allMatch(g -> denied(g, false));
  }

  @Test
  void aManagedPolicyLeftWithoutDeniesIsDetachedAndDeleted() throws Exception {
    write(grants(0, 700));
    List<String> spilled = iam.managed().attachedTo(HOME);
    assertThat(spilled).isNotEmpty();

    Written after = write(grants(0, 10));

    assertThat(after).isInstanceOf(Written.Applied.class);
    assertThat(iam.managed().attachedTo(HOME)).isEmpty();
    assertThat(spilled).noneMatch(arn -> iam.managed().exists(arn));
    assertThat(grants(0, 10)).allMatch(g -> denied(g, false));
    assertThat(denied(grant(500), false)).as("a grant no longer revoked on the role").isFalse();
  }
}
