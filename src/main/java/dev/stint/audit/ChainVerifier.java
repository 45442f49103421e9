package dev.stint.audit;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Walks the whole chain in seq order, a page at a time (memory stays flat however long the log
 * is), recomputing every hash. Stops at the first break and says which seq and why.
 */
public final class ChainVerifier {
  static final int PAGE = 1000;
  private static final long PAGE_TIMEOUT_MS = 30_000;

  private final Pool pool;

  /** The verdict: ok with the count and head, or the first broken seq and the reason. */
  public record Result(boolean ok, long count, long headSeq, String headHash,
      Optional<Long> brokenSeq, Optional<String> problem) {

    static Result ok(long count, long headSeq, String headHash) {
      return new Result(true, count, headSeq, headHash, Optional.empty(), Optional.empty());
    }

    static Result broken(long count, long seq, String problem) {
      return new Result(false, count, seq - 1, null, Optional.of(seq), Optional.of(problem));
    }
  }

  /** Where the walk has got to: the last good seq and hash. */
  private record Position(long count, long seq, String hash) {}

  public ChainVerifier(Pool pool) {
    this.pool = pool;
  }

  public Future<Result> verify() {
    return walk(new Position(0, 0, ChainHash.GENESIS));
  }

  private Future<Result> walk(Position at) {
    return pool.preparedQuery("SELECT " + AuditRows.COLUMNS
            + " FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2")
        .execute(Tuple.of(at.seq(), PAGE))
        .timeout(PAGE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(new StintException(ErrorCode.AUDIT_UNAVAILABLE,
            "the audit log cannot be read now", e)))
        .compose(rows -> {
          Position next = at;
          for (Row row : rows) {
            Object checked = check(next, row);
            if (checked instanceof Result broken) {
              return Future.succeededFuture(broken);
            }
            next = (Position) checked;
          }
          return rows.size() < PAGE
              ? Future.succeededFuture(Result.ok(next.count(), next.seq(), next.hash()))
              : walk(next);
        });
  }

  /** The next position, or the Result naming the break. */
  private static Object check(Position at, Row row) {
    long seq = row.getLong("seq");
    long expected = at.seq() + 1;
    if (seq != expected) {
      return Result.broken(at.count(), expected, "gap: seq " + expected + " is missing, next is "
          + seq);
    }
    AuditRecord r;
    try {
      r = AuditRows.fromRow(row);
    } catch (IllegalArgumentException e) {
      return Result.broken(at.count(), seq, "content cannot be canonicalized: " + e.getMessage());
    }
    if (!at.hash().equals(r.prevHash())) {
      return Result.broken(at.count(), seq, "prev_hash mismatch: it does not name the hash of seq "
          + at.seq());
    }
    if (!r.computeHash().equals(r.hash())) {
      return Result.broken(at.count(), seq,
          "hash mismatch: the stored event does not match its hash (content changed)");
    }
    return new Position(at.count() + 1, seq, r.hash());
  }
}
