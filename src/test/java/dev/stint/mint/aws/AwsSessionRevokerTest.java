package dev.stint.mint.aws;

import static dev.stint.mint.aws.AwsMinterTest.FAST_CALLS;
import static dev.stint.mint.aws.AwsMinterTest.STINT_IDENTITY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.mint.MintException;
import dev.stint.mint.SessionRevoker;
import dev.stint.mint.SessionRevoker.Cut;
import dev.stint.mint.SessionRevoker.Cutoff;
import dev.stint.mint.SessionRevoker.Ended;
import dev.stint.mint.SessionRevoker.PersonCutoff;
import dev.stint.mint.SessionRevoker.Revoked;
import dev.stint.testing.DenyEvaluator;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AWS's part of the revoke contract: a role's deny rendered from the records it is handed, through
 * the real SDK IAM client against a local IAM that keeps IAM's size limit, widened to a cutoff
 * (recorded before it is written) when the grants do not fit.
 */
class AwsSessionRevokerTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/teams/prod-admin";
  private static final String WHY = "the role's denies would pass IAM's size limit";
  private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
  private final FakeSts sts = new FakeSts();
  private final FakeIam iam = new FakeIam().createRole("prod-admin").signedBy(sts);
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final Recorded records = new Recorded();
  private AwsClients clients;
  private AwsSessionRevoker revoker;

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
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    // The inline policy alone, so that a few hundred grants fill the role; the managed policies'
    // room is AwsRevocationCapacityTest's.
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

  @Test
  void revokedGrantsThatFitAreDeniedByNameAndTheDenyConfirmed() throws Exception {
    records.revokeGrants(3, now.minus(Duration.ofMinutes(5)));

    Ended ended = end();

    assertThat(ended).isEqualTo(new Ended(ROLE, Optional.empty()));
    assertThat(records.steps).containsExactly("confirmed " + now);
    assertThat(denies(records.revoked.get(1), now.minusSeconds(60))).isTrue();
    assertThat(denies(grant(999, now), now.minusSeconds(60)))
        .as("a session of a grant nobody revoked")
        .isFalse();
  }

  @Test
  void grantsBeyondIamsLimitWidenToACutoffRecordedBeforeItIsWritten() throws Exception {
    records.revokeGrants(400, now.minus(Duration.ofMinutes(5)));
    Instant cutoffAt = now.plus(AwsSessionRevoker.CLOCK_MARGIN);

    Ended ended = end();

    Cutoff cutoff = new Cutoff(cutoffAt, records.until, now);
    assertThat(records.steps)
        .containsExactly(
            "cutoff saved " + cutoff + " by grt_asking",
            "confirmed " + now,
            "live between " + Instant.EPOCH + " and " + cutoffAt);
    assertThat(ended.widened())
        .contains(
            new SessionRevoker.Widened(ROLE, cutoffAt, records.until, records.cut, false, WHY));
    assertThat(denies(grant(999, now), now.minusSeconds(60)))
        .as("any stint session issued before the cutoff, revoked or not")
        .isTrue();
    // One entry per grant is all a grant costs, so grants that did not fit one by one do not fit
    // beside a cutoff either: the covered ones are no longer named (chainedKept false).
    assertThat(denies(records.revoked.get(1), cutoffAt.minusSeconds(1)))
        .as("a covered grant's session")
        .isTrue();
    assertThat(denies(grant(999, now), cutoffAt.plusSeconds(1)))
        .as("a fresh session after the cutoff")
        .isFalse();
  }

  /**
   * STS stamps a session's issue time by AWS's clock, which may run ahead of stint's: a session
   * minted just before the widening may carry a time seconds past stint's now. docs/clouds.md
   * promises a margin of ten seconds; the figures here are that promise, not the code's constant.
   */
  @Test
  void aWidenedCutoffCutsASessionStampedUpToTenSecondsPastStintsClock() throws Exception {
    records.revokeGrants(400, now.minus(Duration.ofMinutes(5)));

    end();

    assertThat(denies(grant(999, now), now.plusSeconds(9)))
        .as("a session AWS stamped 9 s past stint's now")
        .isTrue();
    assertThat(denies(grant(999, now), now.plusSeconds(11)))
        .as("one stamped past the margin is taken as issued after the cutoff")
        .isFalse();
  }

  @Test
  void anEarlierCutoffIsKeptAndOnlyTheSessionsItHadNotCutCountAsCut() throws Exception {
    Instant earlier = now.minus(Duration.ofHours(1));
    records.cutoff = Optional.of(new Cutoff(earlier, now.plus(Duration.ofHours(2)), earlier));
    records.revokeGrants(400, now.minus(Duration.ofMinutes(5)));

    Ended ended = end();

    assertThat(ended.widened()).isPresent();
    assertThat(records.steps)
        .last()
        .isEqualTo("live between " + earlier + " and " + now.plus(AwsSessionRevoker.CLOCK_MARGIN));
  }

  @Test
  void onePersonsManyRevokedGrantsCollapseToACutoffOfTheirOwnAndNobodyElseIsCut() throws Exception {
    Instant issued = now.minus(Duration.ofMinutes(5));
    for (int i = 0; i < 400; i++) {
      records.revoked.add(grantOf("mallory", i, issued));
    }
    records.revokeGrants(3, issued);
    Instant cutoffAt = now.plus(AwsSessionRevoker.CLOCK_MARGIN);

    Ended ended = end();

    assertThat(ended.widened()).as("nobody else's sessions are cut").isEmpty();
    String mallory = SourceIdentities.person("https://login.example.com/t", "mallory");
    assertThat(ended.collapsed())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.person()).isEqualTo(mallory);
              assertThat(c.cutoff()).isEqualTo(cutoffAt);
              assertThat(c.cut().grants()).containsExactly("grt_own");
            });
    assertThat(records.steps)
        .first()
        .asString()
        .startsWith("person cutoff saved PersonCutoff[person=" + mallory);
    assertThat(records.steps)
        .contains("live between " + Instant.EPOCH + " and " + cutoffAt + " of " + mallory);
    assertThat(denies(records.revoked.get(7), issued)).as("a revoked grant of hers").isTrue();
    Revoked chained = records.revoked.get(7);
    assertThat(
            DenyEvaluator.denies(
                document(),
                new Session(
                    Map.of(), Optional.of(chained.sourceIdentity()), cutoffAt.plusSeconds(60)),
                now.plus(Duration.ofMinutes(5))))
        .as("a session chained from one of hers later")
        .isTrue();
    assertThat(denies(grantOf("mallory", 999, now), now.minusSeconds(60)))
        .as("her other grant's session, issued before the cutoff: her own, cut")
        .isTrue();
    assertThat(denies(grantOf("mallory", 999, now), cutoffAt.plusSeconds(1)))
        .as("her fresh session")
        .isFalse();
    assertThat(denies(grant(999, now), now.minusSeconds(60)))
        .as("another person's live session")
        .isFalse();
    assertThat(denies(records.revoked.get(401), issued))
        .as("another person's revoked grant, still named")
        .isTrue();
  }

  /**
   * A person collapsed before is collapsed again: the new cutoff keeps the earlier one's later end,
   * replaces it, and counts as cut only the sessions the earlier cutoff had not already cut.
   */
  @Test
  void aPersonCollapsedAgainKeepsTheLaterEndAndCountsOnlyWhatTheEarlierCutoffHadNotCut()
      throws Exception {
    String mallory = SourceIdentities.person("https://login.example.com/t", "mallory");
    Instant earlier = now.minus(Duration.ofHours(1));
    Instant longer = now.plus(Duration.ofHours(30));
    records.persons.add(new PersonCutoff(mallory, new Cutoff(earlier, longer, earlier)));
    Instant issued = now.minus(Duration.ofMinutes(5));
    for (int i = 0; i < 400; i++) {
      records.revoked.add(grantOf("mallory", i, issued));
    }
    records.revokeGrants(3, issued);
    Instant cutoffAt = now.plus(AwsSessionRevoker.CLOCK_MARGIN);

    Ended ended = end();

    assertThat(ended.widened()).isEmpty();
    assertThat(ended.collapsed())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.cutoff()).isEqualTo(cutoffAt);
              assertThat(c.until()).as("the earlier cutoff's later end").isEqualTo(longer);
            });
    assertThat(records.steps)
        .contains("live between " + earlier + " and " + cutoffAt + " of " + mallory);
    assertThat(records.persons)
        .singleElement()
        .satisfies(p -> assertThat(p.cutoff().issuedBefore()).isEqualTo(cutoffAt));
  }

  @Test
  void aRoleWhoseOtherInlinePoliciesLeaveNoRoomFailsNamingTheRole() {
    iam.putPolicy(
        "prod-admin",
        "operators",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Pad\",\"Effect\":\"Deny\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
            + "x".repeat(10_050)
            + "\"}]}");
    records.revokeGrants(400, now.minus(Duration.ofMinutes(5)));

    assertThatThrownBy(this::end)
        .hasCauseInstanceOf(MintException.class)
        .cause()
        .satisfies(
            e ->
                assertThat(((MintException) e).detail())
                    .isEqualTo(
                        "even the widened deny does not fit IAM's limit on role prod-admin:"
                            + " the role's other inline policies leave no room"));
  }

  private String document() {
    return iam.policy("prod-admin", "stint-revocations").orElseThrow();
  }

  private static Revoked grantOf(String person, int i, Instant lastIssued) {
    String id = "grt_mmmmmmmmmmmmmmmmmmmm" + String.format("%04d", i);
    return new Revoked(
        id,
        SourceIdentities.of("https://login.example.com/t", person, id),
        lastIssued.plus(Duration.ofHours(1)),
        lastIssued.plus(Duration.ofHours(2)),
        lastIssued);
  }

  private Ended end() throws Exception {
    return revoker
        .end(ROLE, "grt_asking", records)
        .toCompletionStage()
        .toCompletableFuture()
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  private boolean denies(Revoked grant, Instant issued) {
    String document = iam.policy("prod-admin", "stint-revocations").orElseThrow();
    return DenyEvaluator.denies(
        document,
        new Session(
            Map.of("stint:grant", grant.grantId()), Optional.of(grant.sourceIdentity()), issued),
        now.plus(Duration.ofMinutes(5)));
  }

  private static Revoked grant(int i, Instant lastIssued) {
    String id = "grt_abcdefghijklmnopqrst" + String.format("%04d", i);
    return new Revoked(
        id,
        SourceIdentities.of("https://login.example.com/t", "person" + i, id),
        lastIssued.plus(Duration.ofHours(1)),
        lastIssued.plus(Duration.ofHours(2)),
        lastIssued);
  }

  /** The records as the revoker reads and writes them, and the order it wrote them in. */
  private final class Recorded implements SessionRevoker.Records {
    final List<Revoked> revoked = new ArrayList<>();
    final List<String> steps = new ArrayList<>();
    final Instant until = now.plus(Duration.ofHours(3));
    final Cut cut = new Cut(4, List.of("grt_other1", "grt_other2"));
    Optional<Cutoff> cutoff = Optional.empty();
    final List<PersonCutoff> persons = new ArrayList<>();

    void revokeGrants(int n, Instant lastIssued) {
      for (int i = 0; i < n; i++) {
        revoked.add(grant(i, lastIssued));
      }
    }

    @Override
    public Future<List<Revoked>> revokedOn(String target, Instant at) {
      return Future.succeededFuture(List.copyOf(revoked));
    }

    @Override
    public Future<Optional<Instant>> revokedUntil(String target, Instant at, Instant before) {
      return Future.succeededFuture(Optional.of(until));
    }

    @Override
    public Future<Cut> cutBetween(
        String target, Optional<String> person, Instant at, Instant from, Instant before) {
      steps.add("live between " + from + " and " + before + person.map(p -> " of " + p).orElse(""));
      return Future.succeededFuture(person.isEmpty() ? cut : new Cut(1, List.of("grt_own")));
    }

    @Override
    public Future<List<PersonCutoff>> personCutoffs(String target, Instant at) {
      return Future.succeededFuture(List.copyOf(persons));
    }

    @Override
    public Future<Void> savePersonCutoff(
        String target, PersonCutoff saved, String grantId, Instant at) {
      steps.add("person cutoff saved " + saved + " by " + grantId);
      persons.removeIf(p -> p.person().equals(saved.person()));
      persons.add(saved);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> confirmEnded(String target, Instant at) {
      steps.add("confirmed " + at);
      return Future.succeededFuture();
    }

    @Override
    public Future<Optional<Cutoff>> cutoff(String target, Instant at) {
      return Future.succeededFuture(cutoff);
    }

    @Override
    public Future<Void> saveCutoff(String target, Cutoff saved, String grantId, Instant at) {
      steps.add("cutoff saved " + saved + " by " + grantId);
      cutoff = Optional.of(saved);
      return Future.succeededFuture();
    }
  }
}
