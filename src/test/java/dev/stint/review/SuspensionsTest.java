package dev.stint.review;

import static dev.stint.testing.AuditTables.await;
import static dev.stint.testing.AuditTables.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest;
import dev.stint.access.EligibilityHolds;
import dev.stint.access.StoredRequests;
import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.identity.Person;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.Requests;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Suspended eligibility on a real Postgres: one row per suspension, lifted once, by a review or an
 * admin; and a request filed while its requester is being suspended is either refused or already in
 * place when the suspension looks for the person's requests.
 */
class SuspensionsTest {
  static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  static final String ISSUER = "https://idp.example";
  static final Person ADMIN = new Person(ISSUER, "admin", Optional.empty());
  static final AtomicInteger PEOPLE = new AtomicInteger();
  static Vertx vertx;
  static DatabaseUrl url;
  static Database db;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    url = TestPostgres.migratedDatabase();
    db = Database.connect(vertx, url, 4);
    for (String id : new String[] {"rvw_a", "rvw_b"}) {
      AuditTables.execute(
          TestPostgres.asSuperuser(url),
          "INSERT INTO access_reviews (id, profile, state, opened_at, period_start, due_at,"
              + " when_overdue, closed_at, closed_how) VALUES ('"
              + id
              + "', 'prod', 'closed', '2026-11-28T09:00:00Z', '2026-08-30T09:00:00Z',"
              + " '2026-11-29T09:00:00Z', 'keep', '2026-11-28T09:30:00Z', 'decided')");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  static Person fresh() {
    return new Person(ISSUER, "p" + PEOPLE.incrementAndGet(), Optional.empty());
  }

  static <T> T inTransaction(Function<SqlConnection, Future<T>> work) throws Exception {
    return await(db.pool().withTransaction(work::apply));
  }

  static boolean suspend(Person p, String review, Instant at) throws Exception {
    return inTransaction(c -> Suspensions.suspend(c, p, "prod", review, at));
  }

  static Optional<EligibilityHolds.Hold> restore(Person p, Suspensions.Lifter by, Instant at)
      throws Exception {
    return inTransaction(c -> Suspensions.restore(c, p, "prod", by, at));
  }

  static Optional<EligibilityHolds.Hold> held(Person p, String profile) throws Exception {
    return inTransaction(c -> new Suspensions().held(c, p, profile));
  }

  @Test
  void aSuspensionHoldsThatPersonForThatProfileOnlyUntilRestored() throws Exception {
    Person p = fresh();
    assertThat(held(p, "prod")).isEmpty();

    assertThat(suspend(p, "rvw_a", T0)).isTrue();

    assertThat(held(p, "prod")).contains(new EligibilityHolds.Hold("rvw_a", T0));
    assertThat(held(p, "staging")).as("another profile").isEmpty();
    assertThat(held(fresh(), "prod")).as("another person").isEmpty();
    assertThat(await(Suspensions.ofProfile(db.pool(), "prod")))
        .containsEntry(p, new EligibilityHolds.Hold("rvw_a", T0));

    Optional<EligibilityHolds.Hold> lifted =
        inTransaction(
            c ->
                Suspensions.restore(
                    c,
                    p,
                    "prod",
                    new Suspensions.Lifter(Optional.of(ADMIN), Optional.empty()),
                    T0.plusSeconds(60)));
    assertThat(lifted).contains(new EligibilityHolds.Hold("rvw_a", T0));
    assertThat(held(p, "prod")).isEmpty();
    assertThat(await(Suspensions.ofProfile(db.pool(), "prod"))).doesNotContainKey(p);
  }

  @Test
  void suspendingTwiceKeepsOneRowAndTheFirstReview() throws Exception {
    Person p = fresh();
    assertThat(suspend(p, "rvw_a", T0)).isTrue();
    assertThat(suspend(p, "rvw_b", T0.plusSeconds(9))).isFalse();

    assertThat(rows(p)).isEqualTo(1);
    assertThat(held(p, "prod")).contains(new EligibilityHolds.Hold("rvw_a", T0));
  }

  @Test
  void restoringNobodySuspendedLiftsNothingAndAfterARestoreASecondSuspensionIsNew()
      throws Exception {
    Person p = fresh();
    Suspensions.Lifter admin = new Suspensions.Lifter(Optional.of(ADMIN), Optional.empty());
    assertThat(restore(p, admin, T0)).isEmpty();

    suspend(p, "rvw_a", T0);
    restore(p, admin, T0.plusSeconds(1));
    assertThat(restore(p, admin, T0.plusSeconds(2))).as("restored once").isEmpty();
    assertThat(suspend(p, "rvw_b", T0.plusSeconds(3))).isTrue();
    assertThat(rows(p)).isEqualTo(2);
  }

  @Test
  void aRestoreRecordsTheAdminOrTheReviewNeverBoth() throws Exception {
    Person byAdmin = fresh();
    Person byReview = fresh();
    for (Person p : new Person[] {byAdmin, byReview}) {
      suspend(p, "rvw_a", T0);
    }
    inTransaction(
        c ->
            Suspensions.restore(
                c,
                byAdmin,
                "prod",
                new Suspensions.Lifter(Optional.of(ADMIN), Optional.empty()),
                T0.plusSeconds(5)));
    inTransaction(
        c ->
            Suspensions.restore(
                c,
                byReview,
                "prod",
                new Suspensions.Lifter(Optional.empty(), Optional.of("rvw_b")),
                T0.plusSeconds(6)));

    assertThat(lifters(byAdmin)).containsExactly(ISSUER + "|admin|null|2026-11-28 10:00:05");
    assertThat(lifters(byReview)).containsExactly("null|null|rvw_b|2026-11-28 10:00:06");
  }

  /**
   * The suspension takes the person's turn first and holds its transaction open: the request's
   * insert waits for it, then sees the suspension and files nothing.
   */
  @Test
  void aRequestFiledWhileItsRequesterIsBeingSuspendedIsRefused() throws Exception {
    Person p = fresh();
    StoredRequests store = store();
    SqlConnection conn = await(db.pool().getConnection());
    Transaction tx = await(conn.begin());
    try {
      assertThat(await(Suspensions.suspend(conn, p, "prod", "rvw_a", T0))).isTrue();

      Future<AccessRequest> filed =
          store.insert(request("req_r1", p), r -> Future.succeededFuture());
      waitingForTheTurn();
      assertThat(filed.isComplete()).as("the insert waits for the suspension").isFalse();

      await(tx.commit());
      Throwable refused = failure(filed);
      assertThat(refused).hasMessageContaining("suspended by access review rvw_a");
    } finally {
      conn.close();
    }
    assertThat(requests(p)).isZero();
  }

  /**
   * The request's insert takes the turn first and holds its transaction open: the suspension waits
   * for it, and once it has the turn, the request is there for it to end.
   */
  @Test
  void aRequestInPlaceBeforeTheSuspensionIsSeenByTheSuspension() throws Exception {
    Person p = fresh();
    StoredRequests store = store();
    Promise<Void> release = Promise.promise();
    Promise<Void> inserted = Promise.promise();
    Future<AccessRequest> filed =
        store.insert(
            request("req_r2", p),
            r -> {
              inserted.complete();
              return release.future();
            });
    await(inserted.future());

    SqlConnection conn = await(db.pool().getConnection());
    Transaction tx = await(conn.begin());
    try {
      Future<Long> seen =
          Suspensions.suspend(conn, p, "prod", "rvw_a", T0)
              .compose(
                  x ->
                      conn.preparedQuery(
                              "SELECT count(*) FROM access_requests WHERE requester_issuer = $1"
                                  + " AND requester_subject = $2 AND profile = 'prod'")
                          .execute(Tuple.of(p.issuer(), p.subject())))
              .map(rows -> rows.iterator().next().getLong(0));
      waitingForTheTurn();
      assertThat(seen.isComplete()).as("the suspension waits for the insert").isFalse();

      release.complete();
      assertThat(await(filed).id()).isEqualTo("req_r2");
      assertThat(await(seen)).as("the suspension's transaction sees the request").isEqualTo(1L);
      await(tx.commit());
    } finally {
      conn.close();
    }
    assertThat(held(p, "prod")).isPresent();
  }

  static StoredRequests store() {
    return new StoredRequests(db.pool(), db.pool(), Reviews.holds());
  }

  static AccessRequest request(String id, Person p) {
    return Requests.pending(id).profile("prod").requester(p).build();
  }

  /** Until some session waits on an advisory lock: the other side is queued behind the turn. */
  static void waitingForTheTurn() throws Exception {
    Eventually.until(
        "a session waits on the person's turn",
        Duration.ofSeconds(10),
        () ->
            !AuditTables.strings(
                    TestPostgres.asSuperuser(url),
                    "SELECT pid::text FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                        + " AND database = (SELECT oid FROM pg_database"
                        + " WHERE datname = current_database())")
                .isEmpty());
  }

  static long rows(Person p) throws Exception {
    return Long.parseLong(
        AuditTables.strings(
                TestPostgres.asSuperuser(url),
                "SELECT count(*)::text FROM eligibility_suspensions WHERE subject = '"
                    + p.subject()
                    + "'")
            .get(0));
  }

  static long requests(Person p) throws Exception {
    return Long.parseLong(
        AuditTables.strings(
                TestPostgres.asSuperuser(url),
                "SELECT count(*)::text FROM access_requests WHERE requester_subject = '"
                    + p.subject()
                    + "'")
            .get(0));
  }

  static List<String> lifters(Person p) throws Exception {
    return AuditTables.strings(
        TestPostgres.asSuperuser(url),
        "SELECT concat_ws('|', coalesce(restored_by_issuer, 'null'),"
            + " coalesce(restored_by_subject, 'null'), coalesce(restored_by_review, 'null'),"
            + " (restored_at AT TIME ZONE 'UTC')::text) FROM eligibility_suspensions WHERE subject = '"
            + p.subject()
            + "'");
  }
}
