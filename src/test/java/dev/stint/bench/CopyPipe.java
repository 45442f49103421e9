package dev.stint.bench;

import dev.stint.audit.ChainHash;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows in COPY's text format, built on the caller's thread and sent by another: the generator keeps
 * one core busy hashing while Postgres, fed by the sender, keeps the other busy inserting. The
 * queue is short, so a slow side holds the other back instead of filling the memory.
 */
final class CopyPipe implements AutoCloseable {
  private static final int CHUNK = 1 << 20;
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(8);
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "copy-sender");
            t.setDaemon(true);
            return t;
          });
  private final Future<Long> sent;
  private final StringBuilder row = new StringBuilder(CHUNK + 4096);
  private boolean first = true;

  /** Starts {@code COPY table (columns) FROM STDIN} on {@code c}, fed from this pipe. */
  CopyPipe(Connection c, String table, String columns) throws SQLException {
    CopyIn copy =
        c.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn("COPY " + table + " (" + columns + ") FROM STDIN");
    sent =
        sender.submit(
            () -> {
              try {
                for (byte[] chunk = chunks.take(); chunk != END; chunk = chunks.take()) {
                  copy.writeToCopy(chunk, 0, chunk.length);
                }
                return copy.endCopy();
              } finally {
                if (copy.isActive()) {
                  copy.cancelCopy();
                }
              }
            });
  }

  /** The next column of the current row; null is COPY's NULL. */
  CopyPipe col(String value) {
    if (!first) {
      row.append('\t');
    }
    first = false;
    if (value == null) {
      row.append("\\N");
      return this;
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> row.append("\\\\");
        case '\t' -> row.append("\\t");
        case '\n' -> row.append("\\n");
        case '\r' -> row.append("\\r");
        default -> row.append(ch);
      }
    }
    return this;
  }

  CopyPipe col(long value) {
    return col(Long.toString(value));
  }

  CopyPipe col(boolean value) {
    return col(value ? "t" : "f");
  }

  /** Times as the chain writes them: UTC, microseconds, which Postgres reads exactly. */
  CopyPipe col(Instant value) {
    return col(value == null ? null : ChainHash.timestamp(value));
  }

  /** Ends the current row; hands a full chunk to the sender. */
  void endRow() throws Exception {
    row.append('\n');
    first = true;
    if (row.length() >= CHUNK) {
      flush();
    }
  }

  private void flush() throws Exception {
    if (row.length() > 0) {
      put(row.toString().getBytes(StandardCharsets.UTF_8));
      row.setLength(0);
    }
  }

  private void put(byte[] chunk) throws Exception {
    while (!chunks.offer(chunk, 1, TimeUnit.SECONDS)) {
      if (sent.isDone()) {
        sent.get(); // the COPY failed: throws its cause rather than waiting forever
        throw new IllegalStateException("COPY ended early");
      }
    }
  }

  /** Sends what is left, ends the COPY and answers how many rows Postgres took. */
  long finish() throws Exception {
    flush();
    put(END);
    return sent.get();
  }

  @Override
  public void close() {
    sender.shutdownNow();
  }
}
