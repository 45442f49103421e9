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
 * The files allowed past checkstyle's {@code FileLength} limit (build/file-length-allowlist.xml)
 * are the ones that were past it when the limit came, and only while they still are: the list only
 * shrinks.
 */
class FileLengthAllowlistTest {
  private static final Path ALLOWLIST = Path.of("build/file-length-allowlist.xml");

  /** Where checkstyle looks: the server's sources and the development build's (src/dev). */
  private static final List<Path> SOURCES =
      List.of(Path.of("src/main/java"), Path.of("src/dev/java"));

  private static final Pattern ENTRY =
      Pattern.compile("<suppress checks=\"FileLength\" files=\"([^\"]+)\"/>");
  private static final Pattern LIMIT =
      Pattern.compile(
          "<module name=\"FileLength\">\\s*<property name=\"max\" value=\"(\\d+)\"/>",
          Pattern.MULTILINE);

  /** The files on the list when the limit was set; one is struck off when it is split. */
  private static final List<String> WHEN_SET =
      List.of(
          "access/AccessService.java",
          "config/ConfigLoader.java",
          "app/Server.java",
          "access/AccessStore.java",
          "config/ConfigKeys.java",
          "policy/PolicyFileParser.java",
          "extension/ExtensionService.java",
          "standin/ActivityLogStandIn.java",
          "web/RequestPages.java",
          "db/Listener.java",
          "http/RequestRoutes.java",
          "mint/aws/AwsRevocations.java");

  @Test
  void everyFileOnTheListIsStillPastTheLimitAndNoneWasAdded() throws IOException {
    int limit = limit();
    List<Path> listed = listed();

    assertThat(listed).isNotEmpty();
    for (Path file : listed) {
      String relative = relative(file);
      assertThat(WHEN_SET)
          .as("%s was not past the limit when it was set", relative)
          .contains(relative);
      assertThat(Files.readAllLines(file).size())
          .as("%s is within %d lines now: strike it off the list", relative, limit)
          .isGreaterThan(limit);
    }
  }

  @Test
  void theListNamesOnlyFilesThatExist() throws IOException {
    String text = Files.readString(ALLOWLIST);
    Matcher m = ENTRY.matcher(text);
    int entries = 0;
    while (m.find()) {
      entries++;
    }
    assertThat(listed()).hasSize(entries);
  }

  private static int limit() throws IOException {
    Matcher m = LIMIT.matcher(Files.readString(Path.of("build/checkstyle.xml")));
    assertThat(m.find()).as("build/checkstyle.xml sets FileLength's max").isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** The source files the list's patterns match. */
  private static List<Path> listed() throws IOException {
    List<Pattern> patterns = new ArrayList<>();
    Matcher m = ENTRY.matcher(Files.readString(ALLOWLIST));
    while (m.find()) {
      patterns.add(Pattern.compile(m.group(1)));
    }
    List<Path> out = new ArrayList<>();
    for (Path root : SOURCES) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          if (patterns.stream().anyMatch(p -> p.matcher(file.toString()).find())) {
            out.add(file);
          }
        }
      }
    }
    return out;
  }

  /** The file's path under {@code dev/stint} of its source root, as the list names it. */
  private static String relative(Path file) {
    Path root = SOURCES.stream().filter(file::startsWith).findFirst().orElseThrow();
    return root.resolve("dev/stint").relativize(file).toString();
  }
}
