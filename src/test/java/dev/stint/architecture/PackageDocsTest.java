package dev.stint.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each package says what it is, once: every package of both builds has a {@code package-info.java}
 * whose Javadoc says it, and its "owns" cell in docs/design.md's package table is a summary of at
 * most {@value #OWNS_WORDS} words, the detail left to the package's own Javadoc.
 */
class PackageDocsTest {
  static final int OWNS_WORDS = 60;

  private static final List<Path> BUILDS =
      List.of(Path.of("src/main/java"), Path.of("src/dev/java"));

  /** The package table's rows, as DependencyTableTest reads them: package, owns, may import. */
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z]+)` \\|([^|]*)\\| ([^|]+) \\|$");

  /** A Javadoc comment with some text in it, then the package declaration. */
  private static final Pattern DESCRIBED =
      Pattern.compile("(?s)^\\s*/\\*\\*(?:(?!\\*/).)*?\\w(?:(?!\\*/).)*\\*/\\s*package\\s");

  /**
   * The packages under {@code root} (a source root) without a package-info that says what it is.
   */
  static List<String> undescribed(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    List<Path> dirs;
    try (Stream<Path> walk = Files.walk(root)) {
      dirs = walk.filter(Files::isDirectory).sorted().toList();
    }
    for (Path dir : dirs) {
      boolean hasClasses;
      try (Stream<Path> files = Files.list(dir)) {
        hasClasses =
            files.anyMatch(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java"));
      }
      Path info = dir.resolve("package-info.java");
      if (hasClasses
          && (!Files.exists(info) || !DESCRIBED.matcher(Files.readString(info)).find())) {
        out.add(root.relativize(dir) + " has no package-info.java that says what it is");
      }
    }
    return out;
  }

  /** The rows of the package table whose "owns" cell is longer than {@value #OWNS_WORDS} words. */
  static List<String> longCells(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      Matcher row = ROW.matcher(line.strip());
      if (row.matches()) {
        int words = row.group(2).strip().split("\\s+").length;
        if (words > OWNS_WORDS) {
          out.add(row.group(1) + ": " + words + " words");
        }
      }
    }
    return out;
  }

  @Test
  void everyPackageOfBothBuildsSaysWhatItIsInItsPackageInfo() throws IOException {
    for (Path build : BUILDS) {
      assertThat(undescribed(build)).as("packages of %s", build).isEmpty();
    }
  }

  @Test
  void everyOwnsCellOfThePackageTableIsASummary() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("docs/design.md"));
    assertThat(lines).anyMatch(l -> ROW.matcher(l.strip()).matches());
    assertThat(longCells(lines)).as("owns cells over %s words", OWNS_WORDS).isEmpty();
  }

  /** The checks must catch what they exist for. */
  @Test
  void aPackageWithoutItsDescriptionAndALongCellFailTheChecks(@TempDir Path root)
      throws IOException {
    Path told = Files.createDirectories(root.resolve("dev/stint/told"));
    Files.writeString(told.resolve("A.java"), "package dev.stint.told; class A {}");
    Files.writeString(
        told.resolve("package-info.java"), "/** What it is. */\npackage dev.stint.told;\n");
    Path untold = Files.createDirectories(root.resolve("dev/stint/untold"));
    Files.writeString(untold.resolve("B.java"), "package dev.stint.untold; class B {}");
    Path empty = Files.createDirectories(root.resolve("dev/stint/empty"));
    Files.writeString(empty.resolve("C.java"), "package dev.stint.empty; class C {}");
    Files.writeString(empty.resolve("package-info.java"), "/** */\npackage dev.stint.empty;\n");
    Files.createDirectories(root.resolve("dev/stint/nothing"));

    assertThat(undescribed(root))
        .containsExactly(
            "dev/stint/empty has no package-info.java that says what it is",
            "dev/stint/untold has no package-info.java that says what it is");
    String sixty = "word ".repeat(OWNS_WORDS).strip();
    assertThat(
            longCells(
                List.of(
                    "| `short` | " + sixty + " | `common` |",
                    "| `long` | " + sixty + " more | `common` |",
                    "| table | `owner` | " + sixty + " more |")))
        .containsExactly("long: 61 words");
  }
}
