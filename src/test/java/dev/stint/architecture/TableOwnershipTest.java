package dev.stint.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
 * it. The map is read from the document and the tables from the migrations, so neither can drift.
 */
class TableOwnershipTest {
  private static final Path MAIN = Path.of("src/main/java/dev/stint");
  private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
  private static final Pattern ROW =
      Pattern.compile("^\\| ([a-z_][a-z0-9_]*) \\| `([a-z]+)` \\| (.+) \\|$");
  private static final Pattern READER = Pattern.compile("`([a-z]+)` \\(");
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

  /** The tables the migrations leave, applied in version order (renames and drops included). */
  static Set<String> migratedTables() throws IOException {
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
    Set<String> out = new TreeSet<>();
    for (Path file : versions.values()) {
      Matcher m = CHANGED.matcher(Files.readString(file));
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
