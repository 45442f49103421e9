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

/**
 * The files allowed past checkstyle's {@code ParameterNumber} limit
 * (build/parameter-number-allowlist.xml) are the ones that were past it when the limit came: the
 * list only shrinks, and names only files that exist.
 */
class ParameterNumberAllowlistTest {
  private static final Path ALLOWLIST = Path.of("build/parameter-number-allowlist.xml");
  private static final Pattern ENTRY =
      Pattern.compile("<suppress checks=\"ParameterNumber\" files=\"([^\"]+)\"/>");

  /** The files on the list when the limit was set; one is struck off when its parameters are. */
  private static final List<String> WHEN_SET =
      List.of(
          "web/RequestPages.java",
          "web/WebRoutes.java",
          "app/DirectoryWiring.java",
          "notify/slack/SlackListener.java",
          "mint/Receipt.java",
          "identity/Principal.java");

  @Test
  void everyEntryWasOnTheListWhenItWasSetAndMatchesOneFile() throws IOException {
    List<Pattern> patterns = new ArrayList<>();
    Matcher m = ENTRY.matcher(Files.readString(ALLOWLIST));
    while (m.find()) {
      patterns.add(Pattern.compile(m.group(1)));
    }
    assertThat(patterns).isNotEmpty();
    List<Path> sources;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).toList();
    }
    for (Pattern p : patterns) {
      List<String> matched =
          sources.stream()
              .filter(f -> p.matcher(f.toString()).find())
              .map(f -> Path.of("src/main/java/dev/stint").relativize(f).toString())
              .toList();
      assertThat(matched).as("the files %s names", p).hasSize(1);
      assertThat(WHEN_SET)
          .as("%s was not past the limit when it was set", matched.get(0))
          .contains(matched.get(0));
    }
  }
}
