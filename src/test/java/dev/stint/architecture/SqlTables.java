package dev.stint.architecture;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables a Java source's SQL names, and whether it writes or only reads each: read from its
 * string literals and text blocks alone (comments, identifiers and character literals are skipped),
 * literals joined by {@code +} read as one statement, each table name matched whole after the
 * keyword that introduces it. Only names of the migrations' tables count, so prose in a message
 * ("read from the ledger") is no table.
 */
final class SqlTables {
  /** What introduces a table that a statement changes: rows or the table itself. */
  private static final Pattern WRITE =
      Pattern.compile(
          "(?i)\\b(?:insert\\s+into|update|delete\\s+from|truncate(?:\\s+table)?|merge\\s+into"
              + "|alter\\s+table|drop\\s+table|lock(?:\\s+table)?)"
              + "\\s+(?:only\\s+)?(?:if\\s+exists\\s+)?([a-z_][a-z0-9_]*)\\b");

  /** What introduces a table read. */
  private static final Pattern READ =
      Pattern.compile("(?i)\\b(?:from|join|using)\\s+(?:only\\s+)?([a-z_][a-z0-9_]*)\\b");

  /** What may follow a table read: its alias, then more tables (and aliases) after commas. */
  private static final Pattern LIST =
      Pattern.compile(
          "(?i)(?:\\s+(?:as\\s+)?[a-z_][a-z0-9_]*)?"
              + "((?:\\s*,\\s*[a-z_][a-z0-9_]*(?:\\s+(?:as\\s+)?[a-z_][a-z0-9_]*)?)*)");

  private static final Pattern LISTED = Pattern.compile(",\\s*([a-z_][a-z0-9_]*)");
  private static final Pattern JOINED = Pattern.compile("\\s*\\+\\s*");

  private SqlTables() {}

  /** One table a statement names, written or only read. */
  record Use(String table, boolean writes) {}

  /** The tables of {@code tables} that the SQL in {@code source} names, in order of appearance. */
  static Set<Use> uses(String source, Set<String> tables) {
    Set<Use> out = new LinkedHashSet<>();
    for (String text : literals(source)) {
      Matcher w = WRITE.matcher(text);
      while (w.find()) {
        add(out, tables, w.group(1), true);
      }
      Matcher r = READ.matcher(text);
      while (r.find()) {
        add(out, tables, r.group(1), false);
        Matcher list = LIST.matcher(text).region(r.end(), text.length());
        if (list.lookingAt()) {
          Matcher more = LISTED.matcher(list.group(1));
          while (more.find()) {
            add(out, tables, more.group(1), false);
          }
        }
      }
    }
    return out;
  }

  /** The tables of {@code tables} that the SQL statements {@code sql} write, in order. */
  static Set<String> written(String sql, Set<String> tables) {
    Set<String> out = new LinkedHashSet<>();
    Matcher w = WRITE.matcher(sql);
    while (w.find()) {
      String name = w.group(1).toLowerCase(Locale.ROOT);
      if (tables.contains(name)) {
        out.add(name);
      }
    }
    return out;
  }

  private static void add(Set<Use> out, Set<String> tables, String name, boolean writes) {
    if (tables.contains(name)) {
      out.add(new Use(name, writes));
    }
  }

  /**
   * The string literals and text blocks of a Java source, with literals joined by {@code +} (and
   * nothing else between them) as one.
   */
  static List<String> literals(String src) {
    List<String> out = new ArrayList<>();
    int lastEnd = -1;
    int i = 0;
    while (i < src.length()) {
      int end;
      String text = null;
      if (src.startsWith("//", i)) {
        end = lineEnd(src, i);
      } else if (src.startsWith("/*", i)) {
        end = after(src, "*/", i + 2);
      } else if (src.startsWith("\"\"\"", i)) {
        end = after(src, "\"\"\"", i + 3);
        text = src.substring(i + 3, end - 3);
      } else if (src.charAt(i) == '"' || src.charAt(i) == '\'') {
        end = quoted(src, i);
        text = src.charAt(i) == '"' ? src.substring(i + 1, end - 1) : null;
      } else {
        i++;
        continue;
      }
      if (text != null) {
        boolean joined =
            lastEnd >= 0 && JOINED.matcher(src.substring(lastEnd, i)).matches() && !out.isEmpty();
        if (joined) {
          out.set(out.size() - 1, out.get(out.size() - 1) + text);
        } else {
          out.add(text);
        }
        lastEnd = end;
      }
      i = end;
    }
    return out;
  }

  private static int lineEnd(String src, int from) {
    int nl = src.indexOf('\n', from);
    return nl < 0 ? src.length() : nl;
  }

  private static int after(String src, String close, int from) {
    int at = src.indexOf(close, from);
    while (at > 0 && close.startsWith("\"") && src.charAt(at - 1) == '\\') {
      at = src.indexOf(close, at + 1);
    }
    return at < 0 ? src.length() : at + close.length();
  }

  /** The end of the string or character literal opening at {@code from}, escapes skipped. */
  private static int quoted(String src, int from) {
    char quote = src.charAt(from);
    int i = from + 1;
    while (i < src.length() && src.charAt(i) != quote) {
      i += src.charAt(i) == '\\' ? 2 : 1;
    }
    return Math.min(i + 1, src.length());
  }
}
