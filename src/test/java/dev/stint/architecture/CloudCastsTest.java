package dev.stint.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One typed contract per cloud means nothing downcasts to a cloud: no cast to, and no {@code
 * instanceof} on, a type of {@code cloud} (the target records) or a top-level class of a {@code
 * mint.<cloud>} package, anywhere in the product. A target meets its own cloud's type through
 * {@code Cloud.target}, a minter through {@code Minters}. ArchUnit does not see casts in bytecode
 * reliably, so the sources are read; comments are skipped, and a cast to a class nested in a
 * cloud's own type (its private structure, not the contract) is not one.
 */
class CloudCastsTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final List<String> CLOUD_PACKAGES =
      List.of(
          "dev/stint/cloud", "dev/stint/mint/aws", "dev/stint/mint/gcp", "dev/stint/mint/azure");

  @Test
  void noProductClassDowncastsToACloud() throws IOException {
    Pattern downcast = downcast(cloudTypes());
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      files
          .filter(f -> f.toString().endsWith(".java"))
          .forEach(f -> found.addAll(downcasts(MAIN.relativize(f).toString(), read(f), downcast)));
    }
    assertThat(found).isEmpty();
  }

  @Test
  void theScanFindsTheCastsItExistsFor() {
    Pattern downcast = downcast(Set.of("AwsTarget", "AwsSession", "DenyLayout"));
    String source =
        String.join(
            "\n",
            "    AwsTarget aws = (AwsTarget) target;",
            "    return console.link((AwsSession) credential);",
            "    if (target instanceof AwsTarget t) {",
            "    // a comment naming (AwsTarget) target is no cast",
            "     * nor is {@code (AwsSession) credential} in a Javadoc line",
            "    DenyLayout.Item.Person p = (DenyLayout.Item.Person) item;",
            "    Function<AwsSession, String> f = (AwsSession s) -> s.roleArn();");

    assertThat(downcasts("Fixture.java", source, downcast))
        .containsExactly("Fixture.java:1", "Fixture.java:2", "Fixture.java:3");
  }

  /** The simple names of the cloud packages' top-level types. */
  private static Set<String> cloudTypes() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String pkg : CLOUD_PACKAGES) {
      try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
        names.addAll(
            files
                .map(f -> f.getFileName().toString())
                .filter(n -> n.endsWith(".java") && !n.equals("package-info.java"))
                .map(n -> n.substring(0, n.length() - ".java".length()))
                .collect(Collectors.toSet()));
      }
    }
    assertThat(names).contains("AwsTarget", "AwsSession", "GcpMinter", "AzureMinter");
    return names;
  }

  private static Pattern downcast(Set<String> types) {
    String names = String.join("|", types);
    return Pattern.compile(
        "\\(\\s*(?:" + names + ")\\s*\\)\\s*[\\w(]|\\binstanceof\\s+(?:" + names + ")\\b(?!\\.)");
  }

  /** {@code file:line} of each line that casts to a cloud type, comments aside. */
  private static List<String> downcasts(String file, String source, Pattern downcast) {
    List<String> found = new ArrayList<>();
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      boolean comment = line.startsWith("//") || line.startsWith("*") || line.startsWith("/*");
      if (!comment && downcast.matcher(line).find()) {
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
