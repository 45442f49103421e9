package dev.stint.activity;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the next page of a request's calls starts: the last call shown (its time and id). Opaque to
 * callers; it reads only the request it was given with, so a made-up one shows nothing else.
 */
record ActivityCursor(Instant at, String eventId) {
  private static final Pattern TEXT = Pattern.compile("(-?\\d{1,19})\\.(\\d{1,9}):([ -~]{1,128})");

  String encode() {
    String text = at.getEpochSecond() + "." + at.getNano() + ":" + eventId;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static ActivityCursor decode(String cursor) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    Matcher m = TEXT.matcher(text);
    if (!m.matches()) {
      throw invalid();
    }
    try {
      return new ActivityCursor(
          Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
          m.group(3));
    } catch (RuntimeException e) {
      throw invalid();
    }
  }

  private static StintException invalid() {
    return new StintException(ErrorCode.INVALID_REQUEST, "cursor is not one this endpoint gave");
  }
}
