package dev.stint.extension;

import dev.stint.db.KeysetCursor;
import java.time.Instant;

/** Where a page of extensions ends (newest first, then by id). See {@link KeysetCursor}. */
public record ExtensionCursor(Instant createdAt, String id) {
  private static final String KIND = "ext";

  static ExtensionCursor after(Extension last) {
    return new ExtensionCursor(last.createdAt(), last.id());
  }

  public String encode() {
    return KeysetCursor.encode(KIND, createdAt, id);
  }

  /** A cursor this server handed out, or {@code invalid} without echoing the input. */
  public static ExtensionCursor parse(String cursor) {
    KeysetCursor.Position p = KeysetCursor.parse(KIND, cursor);
    return new ExtensionCursor(p.at(), p.id());
  }
}
