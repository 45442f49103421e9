package dev.stint.directory;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.common.Timestamps;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * People the directory deprovisioned ({@code directory_deprovisioned}, V35): the mark a SCIM write
 * makes in its own transaction when a matched user is deactivated or deleted, lifted when the user
 * is active again, and the work each mark brings, done by whichever replica claims it, twice:
 *
 * <ol>
 *   <li>claim the oldest undone row that is due, {@code FOR UPDATE SKIP LOCKED}, in a transaction;
 *   <li>end what the person holds through {@link Deprovisioning}, in that transaction;
 *   <li>mark the row done, with the counts;
 *   <li>record {@code person.deprovisioned} (actor stint) in that transaction;
 *   <li>after the commit, let the side effects go ({@link Deprovisioning.Ended#afterCommit}).
 * </ol>
 *
 * <p>The second time, {@link #RECHECK_AFTER} later, ends what a replica that had not yet heard of
 * the mark let the person ask for, be granted or vote meanwhile; it is recorded ({@code
 * person.deprovisioned} with {@code second_pass}) only when it ended something.
 *
 * <p>A replica that dies mid-way rolls it all back and the row waits for the next round, so the
 * work is neither lost nor done twice. Hazard, as for every audited change here: the audit log
 * commits each event before this transaction does, so a failure after an event (the done mark, the
 * commit itself) leaves that event on record for a change rolled back, and the retry records it
 * again.
 */
public final class Deprovisions {
  private static final Logger LOG = LoggerFactory.getLogger(Deprovisions.class);

  /** Rows one round does at most; the rest wait for the next round. */
  static final int BATCH = 100;

  /**
   * The mark keeps the person's {@code directory.match_claim} value as last seen ({@code match_id}:
   * their sub, or their oid with Entra ID), the value a user names them by.
   */
  static final String MARK =
      "INSERT INTO directory_deprovisioned (issuer, subject, user_id, at, next_attempt_at,"
          + " match_id) SELECT u.issuer, u.subject, u.id, $2, $2, (SELECT p.match_id"
          + " FROM people_seen p WHERE p.issuer = u.issuer AND p.subject = u.subject)"
          + " FROM directory_users u"
          + " WHERE u.id = $1 AND u.issuer IS NOT NULL AND u.subject IS NOT NULL"
          + " ON CONFLICT (issuer, subject) WHERE lifted_at IS NULL DO NOTHING RETURNING id";

  /**
   * Only the user whose deactivation or deletion made the mark lifts it, or, when that user is
   * gone, one that names the person by {@code directory.match_claim} (its externalId is their sub,
   * or their oid with Entra ID): an active user merely matched to them (by an email a new hire
   * inherited) must not let a leaver back in.
   */
  static final String LIFT =
      "UPDATE directory_deprovisioned d SET lifted_at = $2 FROM directory_users u"
          + " WHERE u.id = $1 AND d.issuer = u.issuer AND d.subject = u.subject"
          + " AND d.lifted_at IS NULL AND (d.user_id = u.id OR u.external_id = d.match_id)";

  static final String CLAIM =
      "SELECT id, issuer, subject, user_id, at, lifted_at, done_at FROM directory_deprovisioned"
          + " WHERE rechecked_at IS NULL AND next_attempt_at <= $1"
          + " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED";
  static final String FAILED =
      "UPDATE directory_deprovisioned SET attempts = attempts + 1, last_error = $2,"
          + " next_attempt_at = $3 WHERE id = $1 AND rechecked_at IS NULL";

  /** How long a row whose work failed waits before it is tried again. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(30);

  /** The first pass done; the second is due {@link #RECHECK_AFTER} later. */
  static final String DONE =
      "UPDATE directory_deprovisioned SET done_at = $2, grants_revoked = $3,"
          + " requests_cancelled = $4, next_attempt_at = $5 WHERE id = $1";

  /** The second pass done: what it ended is added to the first's counts. */
  static final String RECHECKED =
      "UPDATE directory_deprovisioned SET rechecked_at = $2, grants_revoked = grants_revoked + $3,"
          + " requests_cancelled = requests_cancelled + $4 WHERE id = $1";

  /**
   * How long after the first pass the work runs once more: longer than any replica takes to hear of
   * the mark (an announcement, else its next whole read), so whatever a replica let through
   * meanwhile, a grant or a request or a vote, is ended too.
   */
  public static final Duration RECHECK_AFTER = Duration.ofSeconds(40);

  private final AtomicLong failures = new AtomicLong();
  private final Pool pool;
  private final Deprovisioning deprovisioning;
  private final AuditLog audit;
  private final Clock clock;
  private final int batch;

  /**
   * What a user's state says of its person, after a write or a match: inactive marks them
   * deprovisioned (once, until lifted), active lifts the mark. The work the mark brings is done
   * after the commit ({@link #run}), but recorded here, in the caller's transaction.
   */
  static Future<Standing> standing(SqlConnection db, String userId, boolean active, Instant now) {
    return active
        ? lift(db, userId, now).map(lifted -> lifted ? Standing.LIFTED : Standing.NONE)
        : mark(db, userId, now).map(marked -> marked ? Standing.MARKED : Standing.NONE);
  }

  Deprovisions(Pool pool, Deprovisioning deprovisioning, AuditLog audit, Clock clock) {
    this(pool, deprovisioning, audit, clock, BATCH);
  }

  /** With {@code batch} rows a round at most. */
  Deprovisions(Pool pool, Deprovisioning deprovisioning, AuditLog audit, Clock clock, int batch) {
    this.batch = batch;
    this.pool = pool;
    this.deprovisioning = deprovisioning;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Marks the person user {@code id} is matched to as deprovisioned, unless a mark is in force;
   * answers whether this made one (there is then work to do). A user matched to nobody marks no
   * one.
   */
  static Future<Boolean> mark(SqlClient db, String id, Instant at) {
    return db.preparedQuery(MARK)
        .execute(Tuple.of(id, Timestamps.utc(at)))
        .map(rows -> rows.size() > 0);
  }

  /**
   * Lifts the mark of the person user {@code id} is matched to, if one is in force; answers whether
   * it lifted one.
   */
  static Future<Boolean> lift(SqlClient db, String id, Instant at) {
    return db.preparedQuery(LIFT)
        .execute(Tuple.of(id, Timestamps.utc(at)))
        .map(rows -> rows.rowCount() > 0);
  }

  /** What a write did to its person's mark, for the write's audit event. */
  enum Standing {
    MARKED,
    LIFTED,
    NONE;

    String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Attempts at a row's work that failed (each retried later), since start. */
  public long failures() {
    return failures.get();
  }

  /** Does the work waiting, a row at a time; answers how many rows it did. */
  public Future<Integer> run() {
    return runFrom(0);
  }

  private Future<Integer> runFrom(int done) {
    if (done == batch) {
      return Future.succeededFuture(done);
    }
    AtomicLong claimed = new AtomicLong(-1);
    return next(claimed)
        .recover(e -> failed(claimed.get(), e))
        .compose(
            ended -> {
              if (ended.isEmpty()) {
                return Future.succeededFuture(done);
              }
              ended.get().afterCommit().run();
              return runFrom(done + 1);
            });
  }

  /**
   * One row, claimed, done and recorded in one transaction; empty when none is waiting. The id
   * claimed is left in {@code claimed}, for {@link #failed}.
   */
  private Future<Optional<Deprovisioning.Ended>> next(AtomicLong claimed) {
    return pool.withTransaction(
        conn ->
            // 1.
            conn.preparedQuery(CLAIM)
                .execute(Tuple.of(Timestamps.utc(clock.instant())))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.succeededFuture(Optional.<Deprovisioning.Ended>empty());
                      }
                      Row row = rows.iterator().next();
                      claimed.set(row.getLong("id"));
                      return work(conn, row).map(Optional::of);
                    }));
  }

  /**
   * A row whose work failed (rolled back whole) waits {@link #RETRY_AFTER}, so the rows behind it
   * go on; the round ends here. No row claimed: the failure is the round's.
   */
  private Future<Optional<Deprovisioning.Ended>> failed(long id, Throwable e) {
    if (id == -1) {
      return Future.failedFuture(e);
    }
    LOG.warn("deprovisioning {} failed, tried again in {}: {}", id, RETRY_AFTER, e.getMessage());
    failures.incrementAndGet();
    Instant now = clock.instant();
    return pool.preparedQuery(FAILED)
        .execute(
            Tuple.of(id, String.valueOf(e.getMessage()), Timestamps.utc(now.plus(RETRY_AFTER))))
        .compose(x -> Future.failedFuture(e));
  }

  private Future<Deprovisioning.Ended> work(SqlConnection conn, Row row) {
    long id = row.getLong("id");
    Deprovisioning.Leaver leaver =
        new Deprovisioning.Leaver(
            new Person(row.getString("issuer"), row.getString("subject"), Optional.empty()),
            row.getString("user_id"),
            row.getOffsetDateTime("at").toInstant(),
            Optional.ofNullable(row.getOffsetDateTime("lifted_at")).map(OffsetDateTime::toInstant));
    Instant now = clock.instant();
    boolean recheck = row.getOffsetDateTime("done_at") != null;
    // 2.
    return deprovisioning
        .end(conn, leaver)
        // 3. and 4.
        .compose(
            ended ->
                (recheck
                        ? rechecked(conn, id, leaver, ended, now)
                        : done(conn, id, leaver, ended, now))
                    .map(ended))
        .onSuccess(
            ended -> {
              if (!recheck || ended.any()) {
                LOG.info(
                    "deprovisioned {}{}: {} grants revoked, {} requests cancelled,"
                        + " {} votes withdrawn, {} extensions ended",
                    leaver.person().subject(),
                    recheck ? " (second pass)" : "",
                    ended.grantsRevoked(),
                    ended.requestsCancelled(),
                    ended.votesWithdrawn(),
                    ended.extensionsEnded());
              }
            });
  }

  private Future<Void> done(
      SqlConnection conn,
      long id,
      Deprovisioning.Leaver leaver,
      Deprovisioning.Ended ended,
      Instant now) {
    return conn.preparedQuery(DONE)
        .execute(
            Tuple.of(
                id,
                Timestamps.utc(now),
                ended.grantsRevoked(),
                ended.requestsCancelled(),
                Timestamps.utc(now.plus(RECHECK_AFTER))))
        .compose(x -> audit.append(event(leaver, ended, false)))
        .mapEmpty();
  }

  /** The second pass: recorded only when it found something the first could not have. */
  private Future<Void> rechecked(
      SqlConnection conn,
      long id,
      Deprovisioning.Leaver leaver,
      Deprovisioning.Ended ended,
      Instant now) {
    return conn.preparedQuery(RECHECKED)
        .execute(
            Tuple.of(id, Timestamps.utc(now), ended.grantsRevoked(), ended.requestsCancelled()))
        .compose(
            x ->
                ended.any()
                    ? audit.append(event(leaver, ended, true)).mapEmpty()
                    : Future.succeededFuture());
  }

  private static AuditEvent event(
      Deprovisioning.Leaver leaver, Deprovisioning.Ended ended, boolean recheck) {
    AuditEvent.Builder b =
        AuditEvent.builder("person.deprovisioned")
            .actor(AuditEvent.Actor.SYSTEM)
            .outcome("ok")
            .reason("the directory deactivated or deleted the person's user")
            .detail("issuer", leaver.person().issuer())
            .detail("subject", leaver.person().subject())
            .detail("directory_user_id", leaver.userId())
            .detail("deprovisioned_at", leaver.at().toString())
            .detail("grants_revoked", ended.grantsRevoked())
            .detail("requests_cancelled", ended.requestsCancelled())
            .detail("votes_withdrawn", ended.votesWithdrawn())
            .detail("extensions_ended", ended.extensionsEnded());
    leaver.liftedAt().ifPresent(t -> b.detail("lifted_at", t.toString()));
    if (recheck) {
      b.detail("second_pass", true);
    }
    return b.build();
  }
}
