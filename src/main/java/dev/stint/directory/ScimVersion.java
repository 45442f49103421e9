package dev.stint.directory;

import java.util.Optional;

/**
 * A resource's version as SCIM shows it (RFC 7644, section 3.14): its {@code meta.version}, a weak
 * ETag, and the {@code If-Match} a change must meet to be made.
 */
final class ScimVersion {
  private ScimVersion() {}

  /** A weak ETag: equal documents of different versions are not byte-for-byte promised. */
  static String etag(long version) {
    return "W/\"" + version + "\"";
  }

  /** {@code If-Match}: absent or {@code *} passes; otherwise it names the current version. */
  static void check(Optional<String> ifMatch, long version) {
    if (ifMatch.isEmpty() || ifMatch.get().strip().equals("*")) {
      return;
    }
    String current = etag(version);
    for (String tag : ifMatch.get().split(",")) {
      String t = tag.strip();
      if (t.equals(current) || t.equals(current.substring(2))) {
        return;
      }
    }
    throw ScimException.preconditionFailed("the resource has changed; its version is " + current);
  }
}
