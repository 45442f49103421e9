package dev.stint.access;

import dev.stint.error.StintException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Where a page of requests ends: the creation time and id of its last row, the order the list is
 * kept in (newest first, then by id). Opaque to callers; a cursor keeps working while requests
 * are added, since it names a position rather than an offset.
 */
public record RequestCursor(Instant createdAt, String id) {
  private static final String PREFIX = "req:";

  /** The cursor for the page after {@code last}. */
  static RequestCursor after(AccessRequest last) {
    return new RequestCursor(last.createdAt(), last.id());
  }

  /** The text handed to callers: Postgres keeps microseconds, so the cursor keeps those. */
  public String encode() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((PREFIX + micros + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** A cursor this server handed out, or {@code invalid} without echoing the input. */
  public static RequestCursor parse(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = text.indexOf(':', PREFIX.length());
      if (text.startsWith(PREFIX) && colon > PREFIX.length() && colon < text.length() - 1) {
        long micros = Long.parseLong(text.substring(PREFIX.length(), colon));
        return new RequestCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS),
            text.substring(colon + 1));
      }
    } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
      // reported below
    }
    throw StintException.invalid("cursor is not one this server handed out");
  }
}
