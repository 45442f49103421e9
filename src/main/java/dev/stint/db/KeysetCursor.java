package dev.stint.db;

import dev.stint.error.StintException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * The text form of a position in a list kept newest first, then by id: a kind (so a cursor of one
 * list is refused by another), the time in microseconds (what Postgres keeps) and the id. Opaque to
 * callers; it names a position, not an offset, so it keeps working while rows are added.
 */
public final class KeysetCursor {
  /** A decoded position. */
  public record Position(Instant at, String id) {}

  private KeysetCursor() {}

  public static String encode(String kind, Instant at, String id) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((kind + ":" + micros + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** A cursor of this kind that a server handed out, or {@code invalid} without echoing it. */
  public static Position parse(String kind, String cursor) {
    String prefix = kind + ":";
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = text.indexOf(':', prefix.length());
      if (text.startsWith(prefix) && colon > prefix.length() && colon < text.length() - 1) {
        long micros = Long.parseLong(text.substring(prefix.length(), colon));
        return new Position(
            Instant.EPOCH.plus(micros, ChronoUnit.MICROS), text.substring(colon + 1));
      }
    } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
      // reported below
    }
    throw StintException.invalid("cursor is not one this server handed out");
  }
}
