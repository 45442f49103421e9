package dev.stint.audit;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Walks the chain in seq order, a page at a time (memory stays flat however long the log is),
 * recomputing every hash. Stops at the first break and says which seq, why, and which layer caught
 * it: the chain itself, or a signed checkpoint the rows no longer match.
 */
public final class ChainVerifier {
  static final int PAGE = 1000;
  private static final long PAGE_TIMEOUT_MS = 30_000;

  /** The layer that caught a break: the hash chain in the database. */
  public static final String CHAIN = "chain";

  /** The layer that caught a break: a signed checkpoint kept outside the database. */
  public static final String CHECKPOINT = "checkpoint";

  private final Pool pool;
  private final int pageSize;

  /**
   * The verdict: ok with the count and head, or the first broken seq, the reason and layer. {@code
   * startsAfter} is set when the oldest events were removed by retention and the walk began after
   * them, at a seq and hash a signed checkpoint vouches for.
   */
  public record Result(
      boolean ok,
      long count,
      long headSeq,
      String headHash,
      Optional<Long> brokenSeq,
      Optional<String> problem,
      Optional<String> layer,
      Optional<Map.Entry<Long, String>> startsAfter) {

    static Result ok(long count, long headSeq, String headHash) {
      return new Result(
          true,
          count,
          headSeq,
          headHash,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
    }

    /** A break found by some other check (a checkpoint's signature), before any walk. */
    public static Result broken(long seq, String problem, String layer) {
      return broken(0, seq, problem, layer);
    }

    static Result broken(long count, long seq, String problem, String layer) {
      return new Result(
          false,
          count,
          seq - 1,
          null,
          Optional.of(seq),
          Optional.of(problem),
          Optional.of(layer),
          Optional.empty());
    }

    Result startingAfter(Map.Entry<Long, String> start) {
      return new Result(
          ok, count, headSeq, headHash, brokenSeq, problem, layer, Optional.of(start));
    }
  }

  /**
   * What the rows must match besides their own chain: hashes signed in checkpoints, by seq, and
   * where to start. Starting at a checkpoint (incremental) checks that row against its signed hash
   * and walks only what came after it; older rows were verified when it was.
   */
  public record Expected(
      NavigableMap<Long, String> signed,
      Optional<Map.Entry<Long, String>> from,
      NavigableMap<Long, String> exported) {
    public static final Expected NOTHING =
        new Expected(Collections.emptyNavigableMap(), Optional.empty());

    public Expected {
      signed = Collections.unmodifiableNavigableMap(new TreeMap<>(signed));
      exported = Collections.unmodifiableNavigableMap(new TreeMap<>(exported));
    }

    public Expected(NavigableMap<Long, String> signed, Optional<Map.Entry<Long, String>> from) {
      this(signed, from, Collections.emptyNavigableMap());
    }

    /**
     * The hash a retention export's signed checkpoint gives {@code seq}. Only an export's: a
     * checkpoint of the line proves the rows up to it existed, not that they were kept, so rows
     * deleted up to one are still reported as deleted.
     */
    Optional<String> vouched(long seq) {
      return Optional.ofNullable(exported.get(seq));
    }
  }

  /** Where the walk has got to: the last good seq and hash. */
  private record Position(long count, long seq, String hash) {}

  public ChainVerifier(Pool pool) {
    this(pool, PAGE);
  }

  /** With pages of {@code pageSize} rows: tests walk many pages over a short chain. */
  ChainVerifier(Pool pool, int pageSize) {
    this.pool = pool;
    this.pageSize = pageSize;
  }

  public Future<Result> verify() {
    return verify(Expected.NOTHING);
  }

  public Future<Result> verify(Expected expected) {
    return page(0, 1)
        .compose(
            first -> {
              Optional<Map.Entry<Long, String>> after = startAfterRetention(first, expected);
              if (after.isPresent()
                  && expected.from().map(f -> f.getKey() <= after.get().getKey()).orElse(true)) {
                Map.Entry<Long, String> start = after.get();
                return walk(new Position(0, start.getKey(), start.getValue()), expected)
                    .map(r -> r.startingAfter(start));
              }
              return expected.from().isEmpty()
                  ? walk(new Position(0, 0, ChainHash.GENESIS), expected)
                  : verifyFrom(expected);
            });
  }

  /**
   * Retention removed the oldest events when the first row left is not seq 1 and its prev_hash is
   * the hash a retention export's signed checkpoint gives the seq before it: the walk may start
   * there. Without such a checkpoint the missing head stays what it looks like, a deletion or
   * truncation.
   */
  private static Optional<Map.Entry<Long, String>> startAfterRetention(
      RowSet<Row> first, Expected expected) {
    if (first.size() == 0) {
      return Optional.empty();
    }
    Row row = first.iterator().next();
    long seq = row.getLong("seq");
    String prev = row.getString("prev_hash");
    return seq > 1 && expected.vouched(seq - 1).filter(prev::equals).isPresent()
        ? Optional.of(Map.entry(seq - 1, prev))
        : Optional.empty();
  }

  private Future<Result> verifyFrom(Expected expected) {
    long seq = expected.from().get().getKey();
    String signedHash = expected.from().get().getValue();
    return page(seq - 1, 1)
        .compose(
            rows -> {
              if (rows.size() == 0 || rows.iterator().next().getLong("seq") != seq) {
                return missingStart(seq, rows.size() > 0);
              }
              AuditRecord r = AuditRows.fromRow(rows.iterator().next());
              if (!r.computeHash().equals(r.hash())) {
                return Future.succeededFuture(
                    Result.broken(
                        0,
                        seq,
                        "hash mismatch: the stored event does not match its hash (content changed)",
                        CHAIN));
              }
              if (!r.hash().equals(signedHash)) {
                return Future.succeededFuture(
                    Result.broken(
                        0,
                        seq,
                        "hash differs from the signed"
                            + " checkpoint at seq "
                            + seq
                            + ": the chain up to it was rewritten",
                        CHECKPOINT));
              }
              return walk(new Position(0, seq, r.hash()), expected);
            });
  }

  /**
   * The checkpointed row the walk should start at is gone. With later rows present it was deleted;
   * without, the tail was cut off, and the first missing seq follows the last row left.
   */
  private Future<Result> missingStart(long seq, boolean laterRows) {
    if (laterRows) {
      return Future.succeededFuture(
          Result.broken(
              0,
              seq,
              "seq " + seq + " is signed in a checkpoint but missing from the table (deleted)",
              CHECKPOINT));
    }
    return pool.preparedQuery("SELECT coalesce(max(seq), 0) FROM audit_events WHERE seq < $1")
        .execute(Tuple.of(seq))
        .map(
            rows -> {
              long last = rows.iterator().next().getLong(0);
              return Result.broken(
                  0,
                  last + 1,
                  "truncated: the chain ends at seq "
                      + last
                      + " but a signed checkpoint covers seq "
                      + seq,
                  CHECKPOINT);
            });
  }

  private Future<RowSet<Row>> page(long after, int limit) {
    // The limit in the text, not a parameter: see AuditReader.limited.
    return pool.preparedQuery(
            AuditReader.limited(
                "SELECT " + AuditRows.COLUMNS + " FROM audit_events WHERE seq > $1 ORDER BY seq",
                limit))
        .execute(Tuple.of(after))
        .timeout(PAGE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(
            e ->
                Future.failedFuture(
                    new StintException(
                        ErrorCode.AUDIT_UNAVAILABLE, "the audit log cannot be read now", e)));
  }

  /**
   * The walk ends by completing one promise. Chaining each page onto the previous one's future
   * would nest a completion per page, and on a log of millions of events the last page's completion
   * would overflow the stack unwinding them all: the answer would never come.
   */
  private Future<Result> walk(Position at, Expected expected) {
    Promise<Result> done = Promise.promise();
    walk(at, expected, done);
    return done.future();
  }

  private void walk(Position at, Expected expected, Promise<Result> done) {
    page(at.seq(), pageSize)
        .onComplete(
            read -> {
              if (read.failed()) {
                done.fail(read.cause());
                return;
              }
              Position next = at;
              for (Row row : read.result()) {
                Object checked = check(next, row, expected.signed());
                if (checked instanceof Result broken) {
                  done.complete(broken);
                  return;
                }
                next = (Position) checked;
              }
              if (read.result().size() < pageSize) {
                done.complete(end(next, expected.signed()));
              } else {
                walk(next, expected, done);
              }
            });
  }

  /**
   * The chain ended whole; it must still reach the newest signed checkpoint, or its tail was cut
   * off (a shorter chain is as whole as the original, so only an outside record can tell).
   */
  private static Result end(Position at, NavigableMap<Long, String> signed) {
    if (!signed.isEmpty() && signed.lastKey() > at.seq()) {
      return Result.broken(
          at.count(),
          at.seq() + 1,
          "truncated: the chain ends at seq "
              + at.seq()
              + " but a signed checkpoint covers seq "
              + signed.lastKey(),
          CHECKPOINT);
    }
    return Result.ok(at.count(), at.seq(), at.hash());
  }

  /** The next position, or the Result naming the break. */
  private static Object check(Position at, Row row, NavigableMap<Long, String> signed) {
    long seq = row.getLong("seq");
    long expected = at.seq() + 1;
    if (seq != expected) {
      // A log that starts late is also what retention leaves: say how to vouch for the gap.
      String start =
          expected == 1
              ? " (the log starts at seq "
                  + seq
                  + "; if retention exported"
                  + " the events before it, verify with its export's checkpoint)"
              : "";
      return Result.broken(
          at.count(),
          expected,
          "gap: seq " + expected + " is missing, next is " + seq + start,
          CHAIN);
    }
    AuditRecord r;
    try {
      r = AuditRows.fromRow(row);
    } catch (IllegalArgumentException e) {
      return Result.broken(
          at.count(), seq, "content cannot be canonicalized: " + e.getMessage(), CHAIN);
    }
    if (!at.hash().equals(r.prevHash())) {
      return Result.broken(
          at.count(),
          seq,
          "prev_hash mismatch: it does not name the hash of seq " + at.seq(),
          CHAIN);
    }
    if (!r.computeHash().equals(r.hash())) {
      return Result.broken(
          at.count(),
          seq,
          "hash mismatch: the stored event does not match its hash (content changed)",
          CHAIN);
    }
    String signedHash = signed.get(seq);
    if (signedHash != null && !signedHash.equals(r.hash())) {
      Long before = signed.lowerKey(seq);
      return Result.broken(
          at.count(),
          seq,
          "hash differs from the signed checkpoint at seq "
              + seq
              + ": the chain was recomputed; the rewrite lies after seq "
              + (before == null ? 0 : before)
              + ", the last checkpoint it still matches",
          CHECKPOINT);
    }
    return new Position(at.count() + 1, seq, r.hash());
  }
}
