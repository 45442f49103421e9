package dev.stint.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.stint.access.AccessRequest;
import dev.stint.policy.ForbiddenImportFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package dependency table in docs/design.md, enforced on the compiled classes: each package of
 * {@code dev.stint} may use only the packages its row names (its sub-packages count as it), and no
 * set of packages depends on itself in a cycle. The table is read from the document, so the two
 * cannot drift apart.
 */
class DependencyTableTest {
  private static final String ROOT = "dev.stint";
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z]+)` \\|[^|]*\\| ([^|]+) \\|$");
  private static final Pattern NAME = Pattern.compile("`([a-z]+)`");

  static Map<String, Set<String>> table;
  static JavaClasses main;

  @BeforeAll
  static void read() throws IOException {
    table = table(Files.readAllLines(Path.of("docs/design.md")));
    main = StintClasses.serverAndDevelopment();
  }

  /** Package → the packages it may import, from the rows {@code | `pkg` | owns | may import |}. */
  static Map<String, Set<String>> table(List<String> lines) {
    Map<String, Set<String>> rows = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher row = ROW.matcher(line.strip());
      if (row.matches()) {
        Set<String> allowed = new TreeSet<>();
        Matcher name = NAME.matcher(row.group(2));
        while (name.find()) {
          allowed.add(name.group(1));
        }
        if (row.group(2).strip().equals("anything")) {
          allowed.add("*");
        }
        rows.put(row.group(1), allowed);
      }
    }
    return rows;
  }

  @Test
  void everyPackageHasARowAndEveryRowAPackage() {
    Set<String> packages =
        main.stream()
            .map(c -> c.getPackageName())
            .filter(p -> p.startsWith(ROOT + "."))
            .map(p -> p.substring(ROOT.length() + 1).split("\\.")[0])
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(packages);
    table.forEach(
        (p, allowed) ->
            assertThat(packages)
                .as("%s may import", p)
                .containsAll(allowed.stream().filter(a -> !a.equals("*")).toList()));
  }

  @Test
  void everyPackageImportsOnlyWhatTheTableAllows() {
    rules(table).forEach(rule -> rule.check(main));
  }

  @Test
  void thePackagesHaveNoCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
  }

  /** The rules must catch what they exist for: a class in policy that uses access. */
  @Test
  void aForbiddenImportFailsTheCheck() {
    JavaClasses withFixture =
        new ClassFileImporter().importClasses(ForbiddenImportFixture.class, AccessRequest.class);
    List<ArchRule> rules = rules(table);
    assertThatThrownBy(() -> rules.forEach(rule -> rule.check(withFixture)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(ForbiddenImportFixture.class.getName())
        .hasMessageContaining("dev.stint.access");
  }

  private static List<ArchRule> rules(Map<String, Set<String>> table) {
    List<ArchRule> rules = new ArrayList<>();
    table.forEach(
        (pkg, allowed) -> {
          if (allowed.contains("*")) {
            return;
          }
          String[] forbidden =
              table.keySet().stream()
                  .filter(other -> !other.equals(pkg) && !allowed.contains(other))
                  .map(other -> ROOT + "." + other + "..")
                  .toArray(String[]::new);
          if (forbidden.length > 0) {
            rules.add(
                noClasses()
                    .that()
                    .resideInAPackage(ROOT + "." + pkg + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(forbidden)
                    .because("docs/design.md lets " + pkg + " import only " + allowed)
                    .allowEmptyShould(true));
          }
        });
    return rules;
  }
}
