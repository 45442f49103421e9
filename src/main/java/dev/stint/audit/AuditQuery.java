package dev.stint.audit;

import dev.stint.error.StintException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Filters for reading the audit log, oldest first. {@code actor} matches the subject or the email;
 * {@code cursor} is the opaque {@link AuditPage#nextCursor()} of the previous page.
 */
public record AuditQuery(
    Optional<Instant> since,
    Optional<Instant> until,
    Optional<String> actor,
    Optional<String> profile,
    Optional<String> type,
    Optional<String> cursor,
    int limit) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public AuditQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw StintException.invalid("limit must be from 1 to " + MAX_LIMIT);
    }
    if (since.isPresent() && until.isPresent() && until.get().isBefore(since.get())) {
      throw StintException.invalid("until is before since");
    }
    cursor.ifPresent(AuditQuery::afterSeq);
  }

  /** Everything, first page. */
  public static AuditQuery all() {
    return new AuditQuery(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_LIMIT);
  }

  public AuditQuery withCursor(String next) {
    return new AuditQuery(since, until, actor, profile, type, Optional.of(next), limit);
  }

  /** The seq the page starts after (0 for the first page). */
  long afterSeq() {
    return cursor.map(AuditQuery::afterSeq).orElse(0L);
  }

  static String cursorAfter(long seq) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("seq:" + seq).getBytes(StandardCharsets.UTF_8));
  }

  private static long afterSeq(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith("seq:")) {
        long seq = Long.parseLong(text.substring(4));
        if (seq >= 0) {
          return seq;
        }
      }
    } catch (IllegalArgumentException e) {
      // reported below, without echoing the input
    }
    throw StintException.invalid("cursor is not one this server handed out");
  }
}
