package dev.stint.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code activity} names a cloud through the contract ({@code Cloud.AWS.name()}), never by a
 * literal of its name: a literal compiles whatever the contract calls the cloud, so a renamed or
 * added cloud would be missed there silently. The sources are read, comments skipped.
 */
class CloudNameLiteralsTest {
  private static final Path ACTIVITY = Path.of("src/main/java/dev/stint/activity");
  private static final Pattern CLOUD_NAME = Pattern.compile("\"(?:aws|gcp|azure)\"");

  @Test
  void activityNamesNoCloudByALiteral() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(ACTIVITY)) {
      files
          .filter(f -> f.toString().endsWith(".java"))
          .sorted()
          .forEach(f -> found.addAll(literals(f.getFileName().toString(), read(f))));
    }
    assertThat(found).isEmpty();
  }

  @Test
  void theScanFindsTheLiteralsItExistsFor() {
    String source =
        String.join(
            "\n",
            "    if (checked.containsKey(\"aws\")) {",
            "    return ledger.ofKey(\"azure\", key);",
            "    b.cloud(\"gcp\");",
            "    // a comment naming \"aws\" is no literal",
            "     * nor is {@code \"azure\"} in a Javadoc line",
            "    String source = \"cloudtrail_lookup\";",
            "    b.cloud(Cloud.AWS.name());");

    assertThat(literals("Fixture.java", source))
        .containsExactly("Fixture.java:1", "Fixture.java:2", "Fixture.java:3");
  }

  /** {@code file:line} of each line with a cloud's name as a string literal, comments aside. */
  private static List<String> literals(String file, String source) {
    List<String> found = new ArrayList<>();
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      boolean comment = line.startsWith("//") || line.startsWith("*") || line.startsWith("/*");
      if (!comment && CLOUD_NAME.matcher(line).find()) {
        found.add(file + ":" + (i + 1));
      }
    }
    return found;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
