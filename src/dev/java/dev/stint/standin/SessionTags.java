package dev.stint.standin;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * STS's rules for session tags, passed as {@code Tags.member.N.Key/Value} or carried in a web
 * identity token: at most 50; a key of 1 to 128 and a value of at most 256 letters, digits, spaces
 * and {@code _.:/=+-@}; no key starting {@code aws:}; no key twice, whatever its case.
 */
final class SessionTags {
  static final int MAX = 50;
  private static final String CHARS = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]";

  private SessionTags() {}

  /** The {@code ValidationError} problems of {@code tags} (key → value, in order). */
  static List<String> problems(List<Map.Entry<String, String>> tags) {
    List<String> out = new ArrayList<>();
    if (tags.size() > MAX) {
      out.add(Member.at("[...]", "tags") + "Member must have length less than or equal to " + MAX);
      return out;
    }
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      String where = "tags." + (i + 1) + ".member.";
      String key = tags.get(i).getKey();
      out.addAll(new Member(where + "key", 1, 128, CHARS + "+").required(key));
      out.addAll(new Member(where + "value", 0, 256, CHARS + "*").required(tags.get(i).getValue()));
      if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        out.add(Member.at(key, where + "key") + "Member must not start with 'aws:'");
      }
      if (!keys.add(key.toLowerCase(Locale.ROOT))) {
        out.add("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
      }
    }
    return out;
  }

  /** {@code Tags.member.N.Key/Value} in order, until the first N without a key. */
  static List<Map.Entry<String, String>> fromParams(QueryRequest request) {
    List<Map.Entry<String, String>> tags = new ArrayList<>();
    for (int i = 1; request.param("Tags.member." + i + ".Key") != null; i++) {
      // A value may be missing (a null STS refuses), which Map.entry would not hold.
      tags.add(
          new SimpleImmutableEntry<>(
              request.param("Tags.member." + i + ".Key"),
              request.param("Tags.member." + i + ".Value")));
    }
    return tags;
  }
}
