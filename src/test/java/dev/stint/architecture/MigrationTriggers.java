package dev.stint.architecture;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The triggers the migrations leave, and the tables each one writes: read from the migrations' SQL
 * in version order, a trigger from its {@code CREATE TRIGGER … ON table … EXECUTE FUNCTION f}, what
 * it writes from {@code f}'s body ({@code INSERT INTO}, {@code UPDATE}, {@code DELETE FROM} and the
 * rest {@link SqlTables#written} knows) and the bodies of the functions it calls, in turn. A
 * trigger dropped, or whose table is dropped, is gone; one whose table is renamed follows it; a
 * function created again is its latest body. Comments are no SQL; a statement built in a string and
 * run by {@code EXECUTE} is not read.
 */
final class MigrationTriggers {
  private static final String NAME = "([a-z_][a-z0-9_]*)";

  private static final Pattern COMMENT = Pattern.compile("--[^\\n]*");

  private static final Pattern FUNCTION =
      Pattern.compile(
          "(?is)\\bcreate\\s+(?:or\\s+replace\\s+)?function\\s+"
              + NAME
              + "\\s*\\(.*?(\\$[a-z_]*\\$)(.*?)\\2");

  private static final Pattern DROP_FUNCTION =
      Pattern.compile("(?i)\\bdrop\\s+function\\s+(?:if\\s+exists\\s+)?" + NAME);

  /** Up to the statement's end: a trigger made in a string ({@code ON %I}) never matches. */
  private static final Pattern TRIGGER =
      Pattern.compile(
          "(?i)\\bcreate\\s+(?:or\\s+replace\\s+)?(?:constraint\\s+)?trigger\\s+"
              + NAME
              + "\\s+(?:before|after|instead\\s+of)\\b[^;]*?\\bon\\s+"
              + NAME
              + "\\b[^;]*?\\bexecute\\s+(?:function|procedure)\\s+"
              + NAME
              + "\\s*\\(");

  private static final Pattern DROP_TRIGGER =
      Pattern.compile(
          "(?i)\\bdrop\\s+trigger\\s+(?:if\\s+exists\\s+)?" + NAME + "\\s+on\\s+" + NAME);

  private static final Pattern RENAME_TABLE =
      Pattern.compile(
          "(?i)\\balter\\s+table\\s+(?:if\\s+exists\\s+)?" + NAME + "\\s+rename\\s+to\\s+" + NAME);

  private static final Pattern DROP_TABLE =
      Pattern.compile("(?i)\\bdrop\\s+table\\s+(?:if\\s+exists\\s+)?" + NAME);

  private static final Pattern CALL = Pattern.compile("(?i)\\b" + NAME + "\\s*\\(");

  /** One trigger: its name, the table it is on, and the function it runs. */
  record Trigger(String name, String table, String function) {}

  /** A trigger on one owner's table that writes {@code tables}, of other owners. */
  record Crossing(String trigger, String table, Set<String> tables) {}

  private final Map<String, String> functions = new HashMap<>();
  private final Map<String, Trigger> triggers = new LinkedHashMap<>();

  private MigrationTriggers() {}

  /** The triggers {@code migrations}, in version order, leave. */
  static MigrationTriggers of(List<String> migrations) {
    MigrationTriggers out = new MigrationTriggers();
    migrations.forEach(out::apply);
    return out;
  }

  private void apply(String migration) {
    String sql = COMMENT.matcher(migration).replaceAll("");
    List<Change> changes = new ArrayList<>();
    each(
        changes,
        FUNCTION,
        sql,
        m -> {
          String name = lower(m.group(1));
          String body = m.group(3);
          return () -> functions.put(name, body);
        });
    each(
        changes,
        DROP_FUNCTION,
        sql,
        m -> {
          String name = lower(m.group(1));
          return () -> functions.remove(name);
        });
    each(
        changes,
        TRIGGER,
        sql,
        m -> {
          Trigger t = new Trigger(lower(m.group(1)), lower(m.group(2)), lower(m.group(3)));
          return () -> triggers.put(key(t.name(), t.table()), t);
        });
    each(
        changes,
        DROP_TRIGGER,
        sql,
        m -> {
          String key = key(m.group(1), m.group(2));
          return () -> triggers.remove(key);
        });
    each(
        changes,
        RENAME_TABLE,
        sql,
        m -> {
          String from = lower(m.group(1));
          String to = lower(m.group(2));
          return () -> renamed(from, to);
        });
    each(
        changes,
        DROP_TABLE,
        sql,
        m -> {
          String table = lower(m.group(1));
          return () -> triggers.values().removeIf(t -> t.table().equals(table));
        });
    changes.sort(Comparator.comparingInt(Change::at));
    changes.forEach(c -> c.apply().run());
  }

  /** A change a migration makes, where it makes it: applied in the file's order. */
  private record Change(int at, Runnable apply) {}

  /** Each match of {@code p} in {@code sql} as the change {@code change} reads from it. */
  private static void each(
      List<Change> changes, Pattern p, String sql, Function<Matcher, Runnable> change) {
    Matcher m = p.matcher(sql);
    while (m.find()) {
      changes.add(new Change(m.start(), change.apply(m)));
    }
  }

  private void renamed(String from, String to) {
    List<Trigger> moved = triggers.values().stream().filter(t -> t.table().equals(from)).toList();
    for (Trigger t : moved) {
      triggers.remove(key(t.name(), from));
      triggers.put(key(t.name(), to), new Trigger(t.name(), to, t.function()));
    }
  }

  Collection<Trigger> triggers() {
    return triggers.values();
  }

  /** The tables of {@code tables} that {@code function} writes, or a function it calls does. */
  Set<String> writes(String function, Set<String> tables) {
    Set<String> out = new TreeSet<>();
    writes(lower(function), tables, new HashSet<>(), out);
    return out;
  }

  private void writes(String function, Set<String> tables, Set<String> seen, Set<String> out) {
    String body = functions.get(function);
    if (body == null || !seen.add(function)) {
      return;
    }
    out.addAll(SqlTables.written(body, tables));
    Matcher call = CALL.matcher(body);
    while (call.find()) {
      writes(lower(call.group(1)), tables, seen, out);
    }
  }

  /**
   * The triggers that write a table whose owner ({@code owners}: table → package) is not theirs.
   */
  List<Crossing> crossing(Map<String, String> owners) {
    List<Crossing> out = new ArrayList<>();
    for (Trigger t : triggers.values()) {
      String owner = owners.get(t.table());
      Set<String> others = new TreeSet<>();
      for (String written : writes(t.function(), owners.keySet())) {
        if (!owners.get(written).equals(owner)) {
          others.add(written);
        }
      }
      if (!others.isEmpty()) {
        out.add(new Crossing(t.name(), t.table(), others));
      }
    }
    return out;
  }

  private static String key(String trigger, String table) {
    return lower(trigger) + " on " + lower(table);
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
