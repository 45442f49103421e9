package dev.stint.audit;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch in one transaction: deadline → advisory lock → chain head → insert → NOTIFY →
 * COMMIT. The batch's outcome is decided once, here: by the COMMIT's answer, or by the deadline
 * timer if that comes first (and then the remaining steps stop short of COMMIT).
 */
final class BatchWriter {
  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

  /** The advisory lock that serializes appends across replicas: "STINTAUD" as a bigint. */
  static final long LOCK_KEY = 0x5354494E54415544L;

  /** The LISTEN/NOTIFY channel; the payload is "FIRST-LAST", the seq range just committed. */
  static final String CHANNEL = "stint_audit";

  /** COMMIT is sent only with at least this much of the deadline left. */
  static final long COMMIT_RESERVE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final Vertx vertx;
  private final Pool pool;

  BatchWriter(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** At most this many extra tries, each only after a stale pooled connection. */
  private static final int STALE_RETRIES = 8;

  Future<List<AuditRecord>> write(List<PendingAppend> batch, long deadlineNanos) {
    return attempt(batch, deadlineNanos, STALE_RETRIES);
  }

  /** What an append whose batch was not committed (or never formed) in time is failed with. */
  static StintException unavailable(String why) {
    return new StintException(ErrorCode.AUDIT_UNAVAILABLE, why + "; the event was not recorded");
  }

  private Future<List<AuditRecord>> attempt(List<PendingAppend> batch, long deadline, int retries) {
    Attempt attempt = new Attempt(batch, deadline);
    // After a database restart every idle pooled connection may be dead: try the next one.
    return attempt
        .run()
        .recover(
            e -> {
              if (retries > 0 && attempt.staleConnection()) {
                return attempt(batch, deadline, retries - 1);
              }
              if (retries > 0
                  && noMonth(e)
                  && deadline - System.nanoTime() > 2 * COMMIT_RESERVE_NANOS) {
                return ensureMonths(batch).compose(v -> attempt(batch, deadline, 0));
              }
              return Future.failedFuture(e);
            });
  }

  /**
   * The batch was stamped in a month the table has no partition for: the maintenance keeps months
   * ahead, so only a clock far off (or a test clock) gets here. The batch rolled back whole; its
   * months are made (audit_partitions_ensure only adds empty months, and the runtime role may call
   * it) and it is tried once more, rather than refuse every event of that month.
   */
  private Future<Void> ensureMonths(List<PendingAppend> batch) {
    Instant first =
        batch.stream().map(PendingAppend::occurredAt).min(Comparator.naturalOrder()).orElseThrow();
    Instant last =
        batch.stream().map(PendingAppend::occurredAt).max(Comparator.naturalOrder()).orElseThrow();
    LOG.warn("audit events stamped {} to {} have no month partition yet; making it", first, last);
    return pool.preparedQuery("SELECT audit_partitions_ensure($1, $2)")
        .execute(Tuple.of(first.atOffset(ZoneOffset.UTC), last.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /** Postgres's answer to a row whose partition does not exist (check_violation). */
  private static boolean noMonth(Throwable e) {
    return e instanceof PgException pg
        && "23514".equals(pg.getSqlState())
        && String.valueOf(pg.getMessage()).contains("no partition");
  }

  /** One try at one batch; completes exactly once. */
  private final class Attempt {
    private final List<PendingAppend> batch;
    private final long deadline;
    private final Promise<List<AuditRecord>> outcome = Promise.promise();
    private SqlConnection conn;
    private boolean answered;
    private boolean commitSent;
    private boolean released;

    Attempt(List<PendingAppend> batch, long deadline) {
      this.batch = batch;
      this.deadline = deadline;
    }

    Future<List<AuditRecord>> run() {
      long timer = vertx.setTimer(Math.max(1, millisLeft()), t -> expire());
      pool.getConnection()
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  outcome.tryFail(ar.cause());
                } else if (outcome.future().isComplete()) {
                  ar.result().close(); // acquired after the deadline: hand it straight back
                } else {
                  conn = ar.result();
                  transaction().onComplete(done -> finish(done.result(), done.cause()));
                }
              });
      return outcome.future().onComplete(x -> vertx.cancelTimer(timer));
    }

    private Future<List<AuditRecord>> transaction() {
      return conn.begin()
          .compose(
              tx ->
                  insideTransaction(tx)
                      .compose(records -> commit(tx, records))
                      .recover(
                          e ->
                              tx.rollback().otherwiseEmpty().compose(v -> Future.failedFuture(e))));
    }

    /**
     * The statements go out pipelined, in order, without waiting for each answer: Postgres runs
     * them one after another all the same (the lock is taken only after the timeouts are set, and
     * the head is read only once the lock is held), but the batch spends three round trips fewer on
     * the wire, and every issuance waiting for it gets its answer that much sooner. A failed
     * statement aborts the transaction, so every later one fails too.
     */
    private Future<List<AuditRecord>> insideTransaction(Transaction tx) {
      // The database enforces the deadline as well: a lock wait or a stalled statement aborts
      // the transaction there, whatever happens to this process or the network.
      String ms = Long.toString(Math.max(1, millisLeft()));
      Future<RowSet<Row>> timeouts =
          conn.preparedQuery(
                  "SELECT set_config('statement_timeout',"
                      + " $1, true), set_config('idle_in_transaction_session_timeout', $1, true)")
              .execute(Tuple.of(ms))
              .onSuccess(r -> answered = true);
      Future<RowSet<Row>> lock =
          conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK_KEY));
      // The head row, not the newest row: one read however many partitions there are, and
      // the one the insert trigger checks the batch against (V17).
      Future<RowSet<Row>> head = conn.query("SELECT seq, hash FROM audit_chain_head").execute();
      return step(Future.all(timeouts, lock, head)).compose(all -> insert(chain(head.result())));
    }

    private Future<List<AuditRecord>> insert(List<AuditRecord> records) {
      String range = records.get(0).seq() + "-" + records.get(records.size() - 1).seq();
      Future<RowSet<Row>> inserted =
          conn.preparedQuery(AuditRows.INSERT_ALL).execute(AuditRows.toArrays(records));
      Future<?> rows = eventRows(records);
      Future<RowSet<Row>> notified =
          conn.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, range));
      return step(Future.all(inserted, rows, notified)).map(r -> records);
    }

    /**
     * The rows that belong to the batch's events, in the same transaction: one statement per kind
     * of row for all of them, none for a batch without any.
     */
    private Future<?> eventRows(List<AuditRecord> records) {
      Map<EventRows<?>, KindRows<?>> kinds = new LinkedHashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        AuditRecord r = records.get(i);
        batch.get(i).row().ifPresent(row -> add(kinds, row, r));
      }
      List<Future<RowSet<Row>>> written = new ArrayList<>();
      kinds.values().forEach(k -> written.add(k.write(conn)));
      return Future.all(written);
    }

    private Future<List<AuditRecord>> commit(Transaction tx, List<AuditRecord> records) {
      if (outcome.future().isComplete() || deadline - System.nanoTime() < COMMIT_RESERVE_NANOS) {
        return Future.failedFuture(unavailable("the audit log did not answer in time"));
      }
      commitSent = true;
      return tx.commit().map(v -> records);
    }

    private List<AuditRecord> chain(RowSet<Row> head) {
      long seq = 0;
      String prev = ChainHash.GENESIS;
      if (head.size() > 0) {
        Row row = head.iterator().next();
        seq = row.getLong("seq");
        prev = row.getString("hash");
      }
      List<AuditRecord> records = new ArrayList<>(batch.size());
      for (PendingAppend p : batch) {
        seq++;
        String hash = ChainHash.hash(seq, p.eventId(), p.occurredAt(), p.event(), prev);
        records.add(new AuditRecord(seq, p.eventId(), p.occurredAt(), p.event(), prev, hash));
        prev = hash;
      }
      return records;
    }

    /** Stops before the next statement once the outcome is decided (the deadline passed). */
    private <T> Future<T> step(Future<T> statement) {
      return statement.compose(
          r ->
              outcome.future().isComplete()
                  ? Future.failedFuture(unavailable("the audit log did not answer in time"))
                  : Future.succeededFuture(r));
    }

    private void finish(List<AuditRecord> records, Throwable failure) {
      release();
      if (failure == null) {
        if (!outcome.tryComplete(records)) {
          LOG.error(
              "audit events seq {}-{} were committed after their callers had been told the"
                  + " audit log was unavailable (COMMIT answered late); event ids {}",
              records.get(0).seq(),
              records.get(records.size() - 1).seq(),
              eventIds());
        }
      } else {
        if (commitSent) {
          LOG.error(
              "audit COMMIT failed without a clear answer; these event ids may or may not"
                  + " be recorded, their callers were told the audit log was unavailable: {}",
              eventIds());
        }
        outcome.tryFail(failure);
      }
    }

    /**
     * The pool handed out a connection the database had already closed (a restart, a killed
     * backend) and it failed before answering anything: nothing of the batch reached the database,
     * so a retry on another connection is safe while time remains.
     */
    boolean staleConnection() {
      return conn != null && !answered && deadline - System.nanoTime() > 2 * COMMIT_RESERVE_NANOS;
    }

    /**
     * The deadline decides the batch. A connection still waiting for an answer is given up at once:
     * the server's pool (db.Database) drops a connection closed with statements still out on it,
     * instead of handing it to the next batch with their answers due, so a database gone silent
     * does not keep the writer's few connections for ever, nor the advisory lock it may hold.
     */
    private void expire() {
      if (outcome.tryFail(unavailable("the audit log did not answer in time"))) {
        release();
      }
    }

    /** Hands the connection back (or, with statements still out, has it dropped), once. */
    private void release() {
      if (conn != null && !released) {
        released = true;
        conn.close();
      }
    }

    private long millisLeft() {
      return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    private List<String> eventIds() {
      return batch.stream().map(p -> p.eventId().toString()).toList();
    }
  }

  private static <T> void add(
      Map<EventRows<?>, KindRows<?>> kinds, EventRows.Row<T> row, AuditRecord record) {
    // The map's key is the row's kind, so the rows found under it are of its type.
    @SuppressWarnings("unchecked")
    KindRows<T> rows =
        (KindRows<T>) kinds.computeIfAbsent(row.kind(), k -> new KindRows<>(row.kind()));
    rows.attached.add(row.to(record.eventId(), record.occurredAt()));
  }

  /** One kind's rows of a batch, written by one statement. */
  private static final class KindRows<T> {
    private final EventRows<T> kind;
    private final List<EventRows.Attached<T>> attached = new ArrayList<>();

    KindRows(EventRows<T> kind) {
      this.kind = kind;
    }

    Future<RowSet<Row>> write(SqlConnection conn) {
      return conn.preparedQuery(kind.insertAll()).execute(kind.parameters(attached));
    }
  }
}
