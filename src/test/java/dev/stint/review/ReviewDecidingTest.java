package dev.stint.review;

import static dev.stint.testing.AuditTables.await;
import static dev.stint.testing.AuditTables.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessUseCases;
import dev.stint.access.Caller;
import dev.stint.activity.ProfileUsage;
import dev.stint.activity.Visibility;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.ledger.MintHistory;
import dev.stint.outbox.Outbox;
import dev.stint.policy.PolicyInForce;
import dev.stint.review.ReviewItem.Choice;
import dev.stint.testing.AuditTables;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import dev.stint.testing.PolicyFixtures;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deciding on a real Postgres with a real audit log: what a decision may not do (a closed review, a
 * person named twice, a comment not one short line), a removal of someone already suspended
 * suspends once, and an overdue keep never lifts a suspension.
 */
class ReviewDecidingTest {
  static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  static final String ISSUER = "https://idp.example";
  static final Vertx VERTX = Vertx.vertx();
  static final MutableClock CLOCK = new MutableClock(T0);
  static final AtomicInteger IDS = new AtomicInteger();
  static DatabaseUrl url;
  static Database db;
  static ReviewDeciding deciding;

  @BeforeAll
  static void start() throws Exception {
    url = TestPostgres.migratedDatabase();
    db = Database.connect(VERTX, url, 4);
    Database auditDb = Database.connect(VERTX, url, 2);
    GroupCommitAuditLog audit =
        new GroupCommitAuditLog(
            VERTX, auditDb.pool(), CLOCK, new StintConfig.AuditConfig(Patience.AUDIT_COMMIT, 64));
    PolicyInForce policies =
        new PolicyInForce(
            PolicyFixtures.load(
                "profiles:\n"
                    + profile("p1")
                    + profile("p2")
                    + profile("p3")
                    + profile("p4")
                    + profile("p5")));
    AccessUseCases access =
        new AccessUseCases(
            new AccessUseCases.Footing(
                db.pool(), db.pipelined(), new Outbox<>(db.pool()), Reviews.holds()),
            policies,
            audit,
            CLOCK);
    deciding =
        new ReviewDeciding(
            new ReviewParts(
                db.pool(),
                policies,
                new ProfileUsage(db.pool(), Visibility.Push.OFF),
                new MintHistory(db.pool()),
                new ReviewAudit(audit),
                CLOCK),
            access.leavers());
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
    VERTX.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  static String profile(String name) {
    return "  "
        + name
        + ":\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\"}\n"
        + "    max_duration: 1h\n    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true'}\n"
        + "    access_review: {every: 90d, reviewers:"
        + " '\"security\" in principal.groups', due_in: 14d, when_overdue: keep}\n";
  }

  static Caller reviewer(String user) {
    Principal p =
        new Principal(
            "corp",
            ISSUER,
            user,
            Optional.empty(),
            List.of("security"),
            Map.of(),
            T0.plus(Duration.ofDays(9)),
            Optional.empty());
    return new Caller(p, Optional.of("127.0.0.1"), Optional.of("test"));
  }

  static Person person(String subject) {
    return new Person(ISSUER, subject, Optional.empty());
  }

  /**
   * An open review of {@code profile} (each test its own: one review of a profile is open at a
   * time) with one undecided item per subject, due at {@code due}.
   */
  static String review(String profile, Instant due, String... subjects) throws Exception {
    String id = "rvw_t" + IDS.incrementAndGet();
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO access_reviews (id, profile, opened_at, period_start, due_at,"
                + " when_overdue) VALUES ('"
                + id
                + "', '"
                + profile
                + "', '2026-11-28T09:00:00Z', '2026-08-30T09:00:00Z', '"
                + due
                + "', 'keep');");
    for (String s : subjects) {
      sql.append(
          "INSERT INTO access_review_items (review_id, issuer, subject, eligible_by, grants,"
              + " calls, unused_grants, suggestion, suggestion_why, suspended) VALUES ('"
              + id
              + "', '"
              + ISSUER
              + "', '"
              + s
              + "', '{\"rule\": \"true\", \"groups\": [], \"basis\": \"claims\","
              + " \"conditional_on\": []}', 0, 0, 0, 'remove', 'never had a credential', false);");
    }
    AuditTables.execute(TestPostgres.asSuperuser(url), sql.toString());
    return id;
  }

  static ReviewerChoice asked(String subject, Choice c, String comment) {
    return new ReviewerChoice(person(subject), c, Optional.ofNullable(comment));
  }

  static long suspensions(String subject) throws Exception {
    return count("eligibility_suspensions WHERE subject = '" + subject + "'");
  }

  static long count(String from) throws Exception {
    return Long.parseLong(
        AuditTables.strings(TestPostgres.asSuperuser(url), "SELECT count(*)::text FROM " + from)
            .get(0));
  }

  static StintException refusal(String id, ReviewerChoice... items) throws Exception {
    Throwable t = failure(deciding.decide(reviewer("sec"), id, List.of(items)));
    assertThat(t).isInstanceOf(StintException.class);
    return (StintException) t;
  }

  @Test
  void aRemovalOfSomeoneAlreadySuspendedSuspendsThemOnce() throws Exception {
    String first = review("p1", T0.plus(Duration.ofDays(1)), "ann");
    await(deciding.decide(reviewer("sec"), first, List.of(asked("ann", Choice.REMOVE, null))));
    String second = review("p1", T0.plus(Duration.ofDays(1)), "ann", "ben");
    Review after =
        await(
            deciding.decide(
                reviewer("sec"),
                second,
                List.of(
                    asked("ann", Choice.REMOVE, "still gone"), asked("ben", Choice.KEEP, null))));

    assertThat(after.state()).isEqualTo(Review.State.CLOSED);
    assertThat(suspensions("ann")).isEqualTo(1);
    assertThat(
            AuditTables.strings(
                TestPostgres.asSuperuser(url),
                "SELECT review_id FROM eligibility_suspensions WHERE subject = 'ann'"))
        .containsExactly(first);
    assertThat(
            AuditTables.count(
                TestPostgres.asSuperuser(url),
                "type = 'eligibility.suspended' AND details->>'review_id' = '" + second + "'"))
        .as("no second suspension recorded")
        .isZero();
    assertThat(
            AuditTables.count(
                TestPostgres.asSuperuser(url),
                "type = 'eligibility.suspended' AND details->>'review_id' = '" + first + "'"))
        .isEqualTo(1);
  }

  @Test
  void anOverdueKeepNeverLiftsASuspension() throws Exception {
    String removing = review("p2", T0.plus(Duration.ofDays(1)), "cat");
    await(deciding.decide(reviewer("sec"), removing, List.of(asked("cat", Choice.REMOVE, null))));
    String late = review("p2", T0.plusSeconds(60), "cat", "dov");
    CLOCK.set(T0.plusSeconds(120));
    try {
      assertThat(await(deciding.overdue())).isGreaterThanOrEqualTo(1);
    } finally {
      CLOCK.set(T0);
    }

    assertThat(
            count(
                "access_review_items WHERE review_id = '"
                    + late
                    + "' AND decision = 'keep' AND overdue"))
        .isEqualTo(2);
    assertThat(count("eligibility_suspensions WHERE subject = 'cat' AND restored_at IS NULL"))
        .as("cat stays suspended")
        .isEqualTo(1);
  }

  @Test
  void aClosedReviewRefusesEveryDecision() throws Exception {
    String id = review("p3", T0.plus(Duration.ofDays(1)), "eve", "fay");
    await(
        deciding.decide(
            reviewer("sec"),
            id,
            List.of(asked("eve", Choice.KEEP, null), asked("fay", Choice.KEEP, null))));

    StintException e = refusal(id, asked("eve", Choice.REMOVE, null));
    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(e).hasMessageContaining("is closed");
    assertThat(suspensions("eve")).isZero();
  }

  @Test
  void aPersonNamedTwiceOrACommentNotOneShortLineRefusesTheCallAndChangesNothing()
      throws Exception {
    String id = review("p4", T0.plus(Duration.ofDays(1)), "gil", "hal");

    StintException twice =
        refusal(id, asked("gil", Choice.KEEP, null), asked("gil", Choice.REMOVE, null));
    StintException tooLong =
        refusal(id, asked("gil", Choice.KEEP, null), asked("hal", Choice.REMOVE, "x".repeat(501)));
    StintException twoLines = refusal(id, asked("hal", Choice.REMOVE, "left\nthe team"));
    StintException carriage = refusal(id, asked("hal", Choice.REMOVE, "left\rthe team"));

    assertThat(twice.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(twice).hasMessageContaining("names gil of " + ISSUER + " twice");
    for (StintException e : List.of(tooLong, twoLines, carriage)) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(e).hasMessageContaining("one line of at most 500 characters");
    }
    assertThat(count("access_review_items WHERE review_id = '" + id + "' AND decision IS NOT NULL"))
        .isZero();
    assertThat(suspensions("hal")).isZero();

    Review ok =
        await(
            deciding.decide(
                reviewer("sec"), id, List.of(asked("hal", Choice.REMOVE, "y".repeat(500)))));
    assertThat(ok.item(person("hal")).orElseThrow().decision().orElseThrow().comment())
        .contains("y".repeat(500));
  }

  @Test
  void onlyAReviewerDecidesNeverTheirOwnItemAndOneBadItemRefusesThemAll() throws Exception {
    String id = review("p5", T0.plus(Duration.ofDays(1)), "ida", "jon", "sec");
    Caller outsider =
        new Caller(
            new Principal(
                "corp",
                ISSUER,
                "out",
                Optional.empty(),
                List.of("eng"),
                Map.of(),
                T0.plus(Duration.ofDays(9)),
                Optional.empty()),
            Optional.of("127.0.0.1"),
            Optional.of("test"));

    Throwable notReviewer =
        failure(deciding.decide(outsider, id, List.of(asked("ida", Choice.REMOVE, null))));
    StintException own =
        refusal(id, asked("ida", Choice.REMOVE, null), asked("sec", Choice.KEEP, null));
    StintException unknown =
        refusal(id, asked("jon", Choice.REMOVE, null), asked("zed", Choice.KEEP, null));
    StintException missingReview = refusal("rvw_none", asked("ida", Choice.KEEP, null));

    assertThat(((StintException) notReviewer).code())
        .as("who may not read the review learns nothing of it")
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(notReviewer).hasMessageNotContaining("p5");
    assertThat(own.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(own).hasMessageContaining("sec of " + ISSUER + " is you");
    assertThat(unknown.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(unknown).hasMessageContaining("no item for zed of " + ISSUER);
    assertThat(missingReview.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(count("access_review_items WHERE review_id = '" + id + "' AND decision IS NOT NULL"))
        .as("nothing decided")
        .isZero();
    assertThat(suspensions("ida") + suspensions("jon")).as("nobody suspended").isZero();

    await(deciding.decide(reviewer("sec"), id, List.of(asked("ida", Choice.KEEP, null))));
    StintException again =
        refusal(id, asked("jon", Choice.REMOVE, null), asked("ida", Choice.REMOVE, null));
    assertThat(again.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(again).hasMessageContaining("ida of " + ISSUER + " was decided already (keep)");
    assertThat(suspensions("jon")).as("the valid item in the refused call is not taken").isZero();
    assertThat(suspensions("ida")).isZero();
  }
}
