package dev.stint.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The table owners in docs/design.md, enforced on the main sources' SQL: every table the migrations
 * create has one owner package, the only one whose SQL writes it; another package's SQL may read it
 * only where the map names that package with its reason, and a package named there must still read
 * it. A migration's trigger on one owner's table that writes another's is listed beside the map
 * ({@link MigrationTriggers}). The map is read from the document and the tables and triggers from
 * the migrations, so neither can drift.
 */
class TableOwnershipTest {
  private static final Path MAIN = Path.of("src/main/java/dev/stint");
  private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
  private static final Pattern ROW =
      Pattern.compile("^\\| ([a-z_][a-z0-9_]*) \\| `([a-z]+)` \\| (.+) \\|$");
  private static final Pattern READER = Pattern.compile("`([a-z]+)` \\(");

  /**
   * A row of the triggers that cross owners: {@code | trigger | table | tables written | why |}.
   */
  private static final Pattern TRIGGER_ROW =
      Pattern.compile(
          "^\\| ([a-z_][a-z0-9_]*) \\| ([a-z_][a-z0-9_]*) \\|"
              + " ([a-z_][a-z0-9_]*(?:, [a-z_][a-z0-9_]*)*) \\| (.+) \\|$");

  private static final Pattern VERSION = Pattern.compile("^V(\\d+)__.*\\.sql$");

  /** A table created (group 1), renamed (2 to 3) or dropped (4), in the order the file does it. */
  private static final Pattern CHANGED =
      Pattern.compile(
          "(?i)\\bcreate\\s+(?:unlogged\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z0-9_]*)"
              + "|\\balter\\s+table\\s+(?:if\\s+exists\\s+)?([a-z_][a-z0-9_]*)\\s+rename\\s+to\\s+"
              + "([a-z_][a-z0-9_]*)"
              + "|\\bdrop\\s+table\\s+(?:if\\s+exists\\s+)?([a-z_][a-z0-9_]*)");

  /** A table's owner and the packages that may read it besides. */
  record Owner(String pkg, Set<String> readers) {}

  static Map<String, Owner> map;
  static Set<String> tables;

  @BeforeAll
  static void read() throws IOException {
    map = map(Files.readAllLines(Path.of("docs/design.md")));
    tables = migratedTables();
  }

  /** Table → owner, from the rows {@code | table | `owner` | `reader` (reason); … |}. */
  static Map<String, Owner> map(List<String> lines) {
    Map<String, Owner> rows = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher row = ROW.matcher(line.strip());
      if (row.matches()) {
        Set<String> readers = new TreeSet<>();
        Matcher reader = READER.matcher(row.group(3));
        while (reader.find()) {
          readers.add(reader.group(1));
        }
        rows.put(row.group(1), new Owner(row.group(2), readers));
      }
    }
    return rows;
  }

  /** The migrations' SQL, in version order. */
  static List<String> migrations() throws IOException {
    Map<Integer, Path> versions = new TreeMap<>();
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      files.forEach(
          f -> {
            Matcher v = VERSION.matcher(f.getFileName().toString());
            if (v.matches()) {
              versions.put(Integer.parseInt(v.group(1)), f);
            }
          });
    }
    List<String> out = new ArrayList<>();
    for (Path file : versions.values()) {
      out.add(Files.readString(file));
    }
    return out;
  }

  /** The tables the migrations leave, applied in version order (renames and drops included). */
  static Set<String> migratedTables() throws IOException {
    Set<String> out = new TreeSet<>();
    for (String migration : migrations()) {
      Matcher m = CHANGED.matcher(migration);
      while (m.find()) {
        if (m.group(1) != null) {
          out.add(m.group(1).toLowerCase(Locale.ROOT));
        } else if (m.group(2) != null) {
          out.remove(m.group(2).toLowerCase(Locale.ROOT));
          out.add(m.group(3).toLowerCase(Locale.ROOT));
        } else {
          out.remove(m.group(4).toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  /** The triggers docs/design.md lists as writing another owner's tables. */
  static Set<MigrationTriggers.Crossing> listedTriggers(List<String> lines) {
    Set<MigrationTriggers.Crossing> out = new LinkedHashSet<>();
    for (String line : lines) {
      Matcher row = TRIGGER_ROW.matcher(line.strip());
      if (row.matches()) {
        out.add(
            new MigrationTriggers.Crossing(
                row.group(1), row.group(2), new TreeSet<>(List.of(row.group(3).split(", ")))));
      }
    }
    return out;
  }

  /** What differs between the triggers that cross owners and those docs/design.md lists. */
  static List<String> triggerProblems(
      Collection<MigrationTriggers.Crossing> found,
      Collection<MigrationTriggers.Crossing> listed,
      Map<String, Owner> map) {
    List<String> out = new ArrayList<>();
    for (MigrationTriggers.Crossing c : found) {
      if (!listed.contains(c)) {
        out.add(
            "trigger "
                + c.trigger()
                + " on "
                + c.table()
                + " ("
                + map.get(c.table()).pkg()
                + ") writes "
                + c.tables()
                + " of another owner, and docs/design.md does not list it so");
      }
    }
    for (MigrationTriggers.Crossing c : listed) {
      if (!found.contains(c)) {
        out.add(
            "docs/design.md lists trigger "
                + c.trigger()
                + " on "
                + c.table()
                + " writing "
                + c.tables()
                + ", which the migrations do not leave so");
      }
    }
    return out;
  }

  private static Map<String, String> owners(Map<String, Owner> map) {
    Map<String, String> out = new LinkedHashMap<>();
    map.forEach((table, owner) -> out.put(table, owner.pkg()));
    return out;
  }

  /**
   * What breaks the map in {@code source}, a file of package {@code pkg}: a table it writes and
   * does not own, or reads without owning it or being named among its readers.
   */
  static List<String> violations(Map<String, Owner> map, String pkg, String file, String source) {
    List<String> out = new ArrayList<>();
    for (SqlTables.Use use : SqlTables.uses(source, map.keySet())) {
      Owner owner = map.get(use.table());
      if (owner.pkg().equals(pkg)) {
        continue;
      }
      if (use.writes()) {
        out.add(pkg + " writes " + use.table() + ", owned by " + owner.pkg() + " (" + file + ")");
      } else if (!owner.readers().contains(pkg)) {
        out.add(
            pkg
                + " reads "
                + use.table()
                + ", owned by "
                + owner.pkg()
                + ", and is not among its readers ("
                + file
                + ")");
      }
    }
    return out;
  }

  @Test
  void everyMigratedTableHasOneOwnerAndEveryOwnerAndReaderIsAPackage() throws IOException {
    assertThat(map.keySet()).as("the tables in docs/design.md").isEqualTo(tables);
    Set<String> packages;
    try (Stream<Path> dirs = Files.list(MAIN)) {
      packages =
          new TreeSet<>(
              dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).toList());
    }
    map.forEach(
        (table, owner) -> {
          assertThat(packages).as("%s's owner", table).contains(owner.pkg());
          assertThat(packages).as("%s's readers", table).containsAll(owner.readers());
        });
  }

  @Test
  void onlyTheOwnerWritesATableAndOnlyTheNamedPackagesReadIt() throws IOException {
    List<String> violations = new ArrayList<>();
    Map<String, Set<String>> reads = new TreeMap<>();
    for (Path file : mainSources()) {
      String pkg = MAIN.relativize(file).getName(0).toString();
      String source = Files.readString(file);
      violations.addAll(violations(map, pkg, MAIN.relativize(file).toString(), source));
      SqlTables.uses(source, map.keySet())
          .forEach(u -> reads.computeIfAbsent(u.table(), t -> new TreeSet<>()).add(pkg));
    }
    assertThat(violations).as("SQL that breaks the table owners in docs/design.md").isEmpty();
    map.forEach(
        (table, owner) ->
            assertThat(reads.getOrDefault(table, Set.of()))
                .as("the readers docs/design.md names for %s still read it", table)
                .containsAll(owner.readers()));
  }

  @Test
  void everyTriggerThatWritesAnotherOwnersTableIsListedAndEveryOneListedDoes() throws IOException {
    List<MigrationTriggers.Crossing> found =
        MigrationTriggers.of(migrations()).crossing(owners(map));
    Set<MigrationTriggers.Crossing> listed =
        listedTriggers(Files.readAllLines(Path.of("docs/design.md")));
    assertThat(triggerProblems(found, listed, map))
        .as("the triggers that cross table owners, in the migrations and in docs/design.md")
        .isEmpty();
    assertThat(listed).isNotEmpty();
  }

  /**
   * The trigger check must catch what it exists for: a trigger on one owner's table whose function
   * writes another's, through a function it calls; and must leave a trigger dropped, one whose
   * writes stay with its own owner, and one made in a string alone.
   */
  @Test
  void aTriggerWritingAnotherOwnersTableThroughAFunctionItCallsFailsTheCheck() {
    Map<String, Owner> owners =
        Map.of(
            "grants", new Owner("access", Set.of()),
            "grants_old", new Owner("access", Set.of()),
            "usage", new Owner("activity", Set.of()),
            "usage_tally", new Owner("activity", Set.of()));
    String v1 =
        """
        CREATE FUNCTION tally(n int) RETURNS void LANGUAGE sql AS $$
            INSERT INTO usage_tally (n) VALUES (n) $$;
        CREATE FUNCTION usage_for_grant() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            -- UPDATE grants in a comment is no write
            PERFORM tally(1);
            RETURN NULL;
        END $body$;
        CREATE TRIGGER grants_usage AFTER UPDATE OF ends_at ON grants_old
            FOR EACH ROW EXECUTE FUNCTION usage_for_grant();
        CREATE FUNCTION usage_for_usage() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN UPDATE usage_tally SET n = n + 1; RETURN NULL; END $$;
        CREATE TRIGGER usage_tally AFTER INSERT ON usage
            FOR EACH ROW EXECUTE FUNCTION usage_for_usage();
        CREATE TRIGGER grants_gone AFTER INSERT ON grants_old
            FOR EACH ROW EXECUTE FUNCTION usage_for_grant();
        """;
    String v2 =
        """
        ALTER TABLE grants_old RENAME TO grants;
        DROP TRIGGER IF EXISTS grants_gone ON grants;
        DO $$ BEGIN
            EXECUTE format('CREATE TRIGGER made AFTER INSERT ON %I'
                || ' FOR EACH ROW EXECUTE FUNCTION usage_for_grant()', 'grants');
        END $$;
        """;
    List<MigrationTriggers.Crossing> found =
        MigrationTriggers.of(List.of(v1, v2)).crossing(owners(owners));
    MigrationTriggers.Crossing crossing =
        new MigrationTriggers.Crossing("grants_usage", "grants", Set.of("usage_tally"));

    assertThat(found).containsExactly(crossing);
    assertThat(triggerProblems(found, Set.of(), owners))
        .containsExactly(
            "trigger grants_usage on grants (access) writes [usage_tally] of another owner,"
                + " and docs/design.md does not list it so");
    assertThat(triggerProblems(found, Set.of(crossing), owners)).isEmpty();
    assertThat(triggerProblems(List.of(), Set.of(crossing), owners))
        .containsExactly(
            "docs/design.md lists trigger grants_usage on grants writing [usage_tally],"
                + " which the migrations do not leave so");
  }

  @Test
  void aTriggerRowNamesItsTableAndTheTablesItWrites() {
    assertThat(
            listedTriggers(
                List.of(
                    "| grants_usage_end | grants | activity_awaiting, grant_usage | a reason |",
                    "| grants | `access` | none |")))
        .containsExactly(
            new MigrationTriggers.Crossing(
                "grants_usage_end", "grants", Set.of("activity_awaiting", "grant_usage")));
  }

  /** The check must catch what it exists for, and see SQL only where SQL is. */
  @Test
  void aWriteOrReadOfAnotherPackagesTableFailsTheCheck() {
    Map<String, Owner> owners =
        Map.of(
            "grants", new Owner("access", Set.of("extension")),
            "credentials", new Owner("ledger", Set.of()));
    String source =
        """
        class Fixture {
          // UPDATE credentials in a comment is no SQL, nor is "credentials" on its own.
          String credentials = "credentials";
          String reads = "SELECT id FROM grants"
              + " JOIN credentials c ON c.grant_id = grants.id";
          String writes = \"""
              UPDATE grants SET ends_at = now()
              \""";
          String listed = "SELECT 1 FROM audit_keys k, credentials c";
        }
        """;

    assertThat(violations(owners, "extension", "Fixture.java", source))
        .containsExactlyInAnyOrder(
            "extension writes grants, owned by access (Fixture.java)",
            "extension reads credentials, owned by ledger, and is not among its readers"
                + " (Fixture.java)");
    assertThat(violations(owners, "access", "Fixture.java", source))
        .containsExactly(
            "access reads credentials, owned by ledger, and is not among its readers"
                + " (Fixture.java)");
    assertThat(violations(owners, "ledger", "Fixture.java", source))
        .as("its own table, and a read the map lists for extension only")
        .containsExactlyInAnyOrder(
            "ledger writes grants, owned by access (Fixture.java)",
            "ledger reads grants, owned by access, and is not among its readers (Fixture.java)");
  }

  @Test
  void tablesListedAfterACommaAreReadAndAliasesAreNot() {
    assertThat(
            SqlTables.uses(
                "String q = \"SELECT 1 FROM audit_keys k, credentials AS c, grants\";",
                Set.of("audit_keys", "credentials", "grants", "k", "c")))
        .containsExactly(
            new SqlTables.Use("audit_keys", false),
            new SqlTables.Use("credentials", false),
            new SqlTables.Use("grants", false));
  }

  @Test
  void aRowWithoutAReasonNamesNoReader() {
    Map<String, Owner> parsed =
        map(
            List.of(
                "| grants | `access` | `extension` (its sweep joins the grant) |",
                "| people_seen | `access` | `directory` |",
                "| `common` | leaf types | nothing |"));
    assertThat(parsed)
        .containsExactly(
            Map.entry("grants", new Owner("access", Set.of("extension"))),
            Map.entry("people_seen", new Owner("access", Set.of())));
  }

  private static List<Path> mainSources() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files
          .filter(f -> f.toString().endsWith(".java"))
          .sorted(Comparator.naturalOrder())
          .toList();
    }
  }
}
