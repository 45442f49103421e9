package dev.stint.access;

import dev.stint.db.KeysetCursor;
import java.time.Instant;

/**
 * Where a page of requests ends: the creation time and id of its last row, the order the list is
 * kept in (newest first, then by id). See {@link KeysetCursor} for its text.
 */
public record RequestCursor(Instant createdAt, String id) {
  private static final String KIND = "req";

  /** The cursor for the page after {@code last}. */
  static RequestCursor after(AccessRequest last) {
    return new RequestCursor(last.createdAt(), last.id());
  }

  public String encode() {
    return KeysetCursor.encode(KIND, createdAt, id);
  }

  /** A cursor this server handed out, or {@code invalid} without echoing the input. */
  public static RequestCursor parse(String cursor) {
    KeysetCursor.Position p = KeysetCursor.parse(KIND, cursor);
    return new RequestCursor(p.at(), p.id());
  }
}
