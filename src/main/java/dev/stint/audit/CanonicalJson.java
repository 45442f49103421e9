package dev.stint.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical JSON that audit hashes are computed over: RFC 8785 (JCS) restricted to what audit
 * details may hold — strings, booleans, null, whole numbers within ±(2^53−1), arrays and objects.
 * Object members are sorted by key (UTF-16 code units), no whitespace, strings escaped as JCS does.
 * Floating point is refused up front because {@code jsonb} would not give it back byte for byte,
 * and a hash that cannot be recomputed is worthless.
 */
final class CanonicalJson {
  static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private CanonicalJson() {}

  static String write(Object value) {
    // Sized for a typical event (about 700 characters), so it rarely grows.
    StringBuilder out = new StringBuilder(1024);
    write(value, out);
    return out.toString();
  }

  /** A deep, immutable copy that holds only canonical value types; throws on anything else. */
  static Map<String, Object> copyChecked(Map<String, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(checkedText(k, "details key"), checked(v, k)));
    return Collections.unmodifiableMap(copy);
  }

  private static Object checked(Object v, String where) {
    if (v == null || v instanceof Boolean) {
      return v;
    }
    if (v instanceof String s) {
      return checkedText(s, "details." + where);
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      long n = ((Number) v).longValue();
      if (Math.abs(n) > MAX_SAFE_INTEGER) {
        throw new IllegalArgumentException("details." + where + " is beyond ±(2^53-1)");
      }
      return n;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach(
          (k, x) -> {
            if (!(k instanceof String key)) {
              throw new IllegalArgumentException("details." + where + " has a non-string key");
            }
            copy.put(checkedText(key, "details key"), checked(x, where + "." + key));
          });
      return Collections.unmodifiableMap(copy);
    }
    if (v instanceof Collection<?> c) {
      List<Object> copy = new ArrayList<>();
      c.forEach(x -> copy.add(checked(x, where + "[]")));
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        "details."
            + where
            + " is a "
            + v.getClass().getSimpleName()
            + "; audit details hold strings, booleans, whole numbers, lists and maps only");
  }

  /**
   * Text Postgres stores exactly as given: no NUL (jsonb and text refuse it) and no unpaired
   * surrogate (it would be encoded as '?', and the stored row would no longer match its hash).
   */
  static String checkedText(String s, String where) {
    if (s == null) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
      if (c == 0 || Character.isSurrogate(c) && !paired) {
        throw new IllegalArgumentException(where + " holds a NUL or an unpaired surrogate");
      }
      if (paired) {
        i++;
      }
    }
    return s;
  }

  private static void write(Object v, StringBuilder out) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer) {
      out.append(v);
    } else if (v instanceof String s) {
      string(s, out);
    } else if (v instanceof Map<?, ?> m) {
      object(m, out);
    } else if (v instanceof Collection<?> c) {
      out.append('[');
      boolean first = true;
      for (Object x : c) {
        out.append(first ? "" : ",");
        first = false;
        write(x, out);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("not a canonical JSON value: " + v.getClass());
    }
  }

  private static void object(Map<?, ?> m, StringBuilder out) {
    TreeMap<String, Object> sorted = new TreeMap<>();
    m.forEach((k, x) -> sorted.put((String) k, x));
    out.append('{');
    boolean first = true;
    for (var e : sorted.entrySet()) {
      out.append(first ? "" : ",");
      first = false;
      string(e.getKey(), out);
      out.append(':');
      write(e.getValue(), out);
    }
    out.append('}');
  }

  /**
   * Copies the runs of characters that need no escape in one go: audit values rarely hold any that
   * do, and appending character by character was most of the hash chain's CPU time.
   */
  private static void string(String s, StringBuilder out) {
    out.append('"');
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(s, run, i);
      escape(c, out);
      run = i + 1;
    }
    out.append(s, run, s.length());
    out.append('"');
  }

  private static void escape(char c, StringBuilder out) {
    switch (c) {
      case '"' -> out.append("\\\"");
      case '\\' -> out.append("\\\\");
      case '\b' -> out.append("\\b");
      case '\f' -> out.append("\\f");
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      default -> out.append(String.format("\\u%04x", (int) c));
    }
  }
}
