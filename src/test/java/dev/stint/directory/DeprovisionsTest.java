package dev.stint.directory;

import static dev.stint.testing.AuditTables.await;
import static dev.stint.testing.AuditTables.count;
import static dev.stint.testing.AuditTables.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.testing.AuditTables;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The work a leaver's mark brings, against a real database and audit log, with the access side
 * played by a recording {@link Deprovisioning}: claimed and done once, recorded, its side effects
 * let go only after the commit, run a second time later, retried after a failure without holding up
 * the rows behind it, and a round that stops at its batch.
 */
class DeprovisionsTest {
  static final String ISSUER = "https://idp.corp.example";
  static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

  Vertx vertx;
  Database db;
  DatabaseUrl url;
  MutableClock clock;
  GroupCommitAuditLog audit;
  Recording access;
  Deprovisions deprovisions;

  @BeforeEach
  void start() throws Exception {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    db = Database.connect(vertx, url, 4);
    clock = new MutableClock(START);
    audit =
        new GroupCommitAuditLog(
            vertx, db.pool(), clock, new AuditConfig(Patience.AUDIT_COMMIT, 64));
    access = new Recording(url);
    deprovisions = new Deprovisions(db.pool(), access, audit, clock);
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  /** A directory user matched to the person {@code subject}, active or not. */
  String user(String subject, boolean active) throws Exception {
    String id = "u-" + subject;
    AuditTables.execute(
        url,
        "INSERT INTO directory_users (id, user_name, external_id, active, attributes, issuer,"
            + " subject, created_at, updated_at, version) VALUES ('"
            + id
            + "', '"
            + subject
            + "@corp.example', '"
            + subject
            + "', "
            + active
            + ", '{}', '"
            + ISSUER
            + "', '"
            + subject
            + "', now(), now(), 1)");
    return id;
  }

  /** Marks {@code subject}'s user deprovisioned, as a SCIM write would in its transaction. */
  String leaver(String subject) throws Exception {
    String id = user(subject, false);
    assertThat(standing(id, false)).isEqualTo(Deprovisions.Standing.MARKED);
    return id;
  }

  Deprovisions.Standing standing(String userId, boolean active) throws Exception {
    Instant now = clock.instant();
    return await(db.pool().withConnection(c -> Deprovisions.standing(c, userId, active, now)));
  }

  String column(String subject, String column) throws Exception {
    return strings(
            url,
            "SELECT coalesce("
                + column
                + "::text, '') FROM directory_deprovisioned"
                + " WHERE subject = '"
                + subject
                + "'")
        .get(0);
  }

  long events(String where) throws Exception {
    return count(url, "type = 'person.deprovisioned' AND " + where);
  }

  @Test
  void aMarkIsWorkedOnceRecordedAndItsSideEffectsGoOnlyAfterTheCommit() throws Exception {
    String userId = leaver("ann");
    access.next(new int[] {2, 1, 3, 1});

    assertThat(await(deprovisions.run())).isEqualTo(1);

    assertThat(access.leavers).hasSize(1);
    Deprovisioning.Leaver leaver = access.leavers.get(0);
    assertThat(leaver.person().issuer()).isEqualTo(ISSUER);
    assertThat(leaver.person().subject()).isEqualTo("ann");
    assertThat(leaver.userId()).isEqualTo(userId);
    assertThat(leaver.at()).isEqualTo(START);
    assertThat(leaver.liftedAt()).isEmpty();
    assertThat(access.doneSeenByAfterCommit)
        .as("the side effects ran once, and saw the row done: after the commit")
        .containsExactly(true);
    assertThat(column("ann", "grants_revoked")).isEqualTo("2");
    assertThat(column("ann", "requests_cancelled")).isEqualTo("1");
    assertThat(
            events(
                "details->>'subject' = 'ann' AND details->>'grants_revoked' = '2'"
                    + " AND details->>'requests_cancelled' = '1'"
                    + " AND details->>'votes_withdrawn' = '3'"
                    + " AND details->>'extensions_ended' = '1'"
                    + " AND details->>'directory_user_id' = '"
                    + userId
                    + "' AND details->>'second_pass' IS NULL AND actor_subject = 'system'"))
        .isEqualTo(1);

    assertThat(await(deprovisions.run())).as("nothing is due until the second pass").isZero();
    assertThat(access.leavers).hasSize(1);
  }

  @Test
  void theSecondPassComesFortySecondsLaterAndIsRecordedOnlyWhenItEndsSomething() throws Exception {
    leaver("bo");
    leaver("cy");
    access.next(new int[] {1, 0, 0, 0});
    access.next(new int[] {1, 0, 0, 0});
    assertThat(await(deprovisions.run())).isEqualTo(2);

    clock.advance(Duration.ofSeconds(39));
    assertThat(await(deprovisions.run())).as("not before forty seconds").isZero();

    clock.advance(Duration.ofSeconds(1));
    access.next(new int[] {0, 0, 0, 0});
    access.next(new int[] {1, 2, 0, 0});
    assertThat(await(deprovisions.run())).isEqualTo(2);

    assertThat(access.leavers).hasSize(4);
    assertThat(events("details->>'second_pass' = 'true'"))
        .as("only the second pass that ended something is recorded")
        .isEqualTo(1);
    assertThat(events("details->>'second_pass' IS NULL")).isEqualTo(2);
    assertThat(column("bo", "grants_revoked") + "/" + column("cy", "grants_revoked"))
        .as("the second pass adds to the first's counts")
        .isEqualTo("1/2");
    assertThat(column("bo", "rechecked_at")).isNotEmpty();
    assertThat(column("cy", "rechecked_at")).isNotEmpty();

    clock.advance(Duration.ofHours(1));
    assertThat(await(deprovisions.run())).as("a rechecked row is never worked again").isZero();
  }

  @Test
  void aFailedRowIsRolledBackWaitsThirtySecondsAndDoesNotHoldUpTheRowsBehindIt() throws Exception {
    leaver("dee");
    clock.advance(Duration.ofSeconds(1));
    leaver("eve");
    access.fail("the access side could not end it");

    assertThatThrownBy(() -> await(deprovisions.run()))
        .hasMessageContaining("the access side could not end it");

    assertThat(deprovisions.failures()).isEqualTo(1);
    assertThat(column("dee", "attempts")).isEqualTo("1");
    assertThat(column("dee", "last_error")).isEqualTo("the access side could not end it");
    assertThat(column("dee", "done_at")).as("rolled back whole").isEmpty();
    assertThat(events("details->>'subject' = 'dee'")).isZero();

    access.next(new int[] {1, 0, 0, 0});
    assertThat(await(deprovisions.run())).as("the row behind it goes on").isEqualTo(1);
    assertThat(access.leavers.get(access.leavers.size() - 1).person().subject()).isEqualTo("eve");

    clock.advance(Duration.ofSeconds(29));
    assertThat(await(deprovisions.run())).as("the failed row waits thirty seconds").isZero();
    clock.advance(Duration.ofSeconds(1));
    access.next(new int[] {1, 0, 0, 0});
    assertThat(await(deprovisions.run())).isEqualTo(1);
    assertThat(column("dee", "done_at")).isNotEmpty();
  }

  @Test
  void aRoundDoesItsBatchAndLeavesTheRestForTheNext() throws Exception {
    Deprovisions threeARound = new Deprovisions(db.pool(), access, audit, clock, 3);
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      rows.append(i == 0 ? "" : ", ")
          .append("('" + ISSUER + "', 'p" + i + "', 'u" + i + "', now(), now())");
    }
    AuditTables.execute(
        url,
        "INSERT INTO directory_deprovisioned (issuer, subject, user_id, at, next_attempt_at)"
            + " VALUES "
            + rows);
    clock.set(Instant.now().plusSeconds(1));

    assertThat(await(threeARound.run())).isEqualTo(3);
    assertThat(await(threeARound.run())).isEqualTo(1);
    assertThat(await(threeARound.run())).isZero();
  }

  @Test
  void aLiftedMarksWorkNamesWhenItWasLifted() throws Exception {
    String userId = leaver("fay");
    clock.advance(Duration.ofSeconds(5));
    AuditTables.execute(
        url, "UPDATE directory_users SET active = true WHERE id = '" + userId + "'");
    assertThat(standing(userId, true)).isEqualTo(Deprovisions.Standing.LIFTED);
    access.next(new int[] {0, 1, 0, 0});

    assertThat(await(deprovisions.run())).isEqualTo(1);

    assertThat(access.leavers.get(0).liftedAt()).contains(START.plusSeconds(5));
    assertThat(events("details->>'lifted_at' = '" + START.plusSeconds(5) + "'")).isEqualTo(1);
  }

  @Test
  void standingMarksOnceLiftsOnlyAMarkAndIgnoresAUserMatchedToNobody() throws Exception {
    String userId = user("gus", false);
    assertThat(standing(userId, true))
        .as("an active user with no mark lifts nothing")
        .isEqualTo(Deprovisions.Standing.NONE);
    assertThat(standing(userId, false)).isEqualTo(Deprovisions.Standing.MARKED);
    assertThat(standing(userId, false))
        .as("a mark in force is not made again")
        .isEqualTo(Deprovisions.Standing.NONE);
    assertThat(standing(userId, true)).isEqualTo(Deprovisions.Standing.LIFTED);

    AuditTables.execute(
        url,
        "INSERT INTO directory_users (id, user_name, active, attributes, created_at, updated_at,"
            + " version) VALUES ('u-nobody', 'nobody@corp.example', false, '{}', now(), now(), 1)");
    assertThat(standing("u-nobody", false))
        .as("a user matched to nobody marks no one")
        .isEqualTo(Deprovisions.Standing.NONE);
  }

  /** What the SCIM write's audit event names, the words an auditor reads. */
  @Test
  void aStandingIsRecordedInLowerCaseWords() {
    assertThat(Deprovisions.Standing.MARKED.code()).isEqualTo("marked");
    assertThat(Deprovisions.Standing.LIFTED.code()).isEqualTo("lifted");
    assertThat(Deprovisions.Standing.NONE.code()).isEqualTo("none");
  }

  /**
   * The access side as a test plays it: answers each call with the next counts given, or fails; its
   * side effects look at the row from another connection, to tell whether they ran after the
   * commit.
   */
  static final class Recording implements Deprovisioning {
    final List<Leaver> leavers = new ArrayList<>();
    final List<Boolean> doneSeenByAfterCommit = new ArrayList<>();
    private final List<int[]> answers = new ArrayList<>();
    private final DatabaseUrl url;
    private String failure;

    Recording(DatabaseUrl url) {
      this.url = url;
    }

    void next(int[] counts) {
      answers.add(counts);
    }

    void fail(String message) {
      failure = message;
    }

    @Override
    public Future<Ended> end(SqlConnection conn, Leaver leaver) {
      if (failure != null) {
        String message = failure;
        failure = null;
        return Future.failedFuture(new IllegalStateException(message));
      }
      leavers.add(leaver);
      int[] c = answers.isEmpty() ? new int[4] : answers.remove(0);
      String subject = leaver.person().subject();
      return Future.succeededFuture(
          new Ended(c[0], c[1], c[2], c[3], () -> doneSeenByAfterCommit.add(isDone(subject))));
    }

    private boolean isDone(String subject) {
      try {
        return !strings(
                url,
                "SELECT 1 FROM directory_deprovisioned WHERE subject = '"
                    + subject
                    + "' AND done_at IS NOT NULL")
            .isEmpty();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
