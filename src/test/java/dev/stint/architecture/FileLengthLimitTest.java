package dev.stint.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Checkstyle's {@code FileLength} limit holds for every file: the allowlist of the files past it
 * when it came is gone, each of them split by what it does, and nothing may exempt a file again.
 */
class FileLengthLimitTest {
  private static final Path CHECKSTYLE = Path.of("build/checkstyle.xml");
  private static final Pattern LIMIT =
      Pattern.compile(
          "<module name=\"FileLength\">\\s*<property name=\"max\" value=\"(\\d+)\"/>",
          Pattern.MULTILINE);

  @Test
  void theLimitIsAtMostFourHundredLines() throws IOException {
    Matcher m = LIMIT.matcher(Files.readString(CHECKSTYLE));
    assertThat(m.find()).as("build/checkstyle.xml sets FileLength's max").isTrue();
    assertThat(Integer.parseInt(m.group(1))).isLessThanOrEqualTo(400);
  }

  @Test
  void noSuppressionExemptsAFileFromIt() throws IOException {
    assertThat(Files.readString(CHECKSTYLE)).doesNotContain("SuppressWithPlainTextCommentFilter");
    assertThat(Files.readString(Path.of("pom.xml"))).doesNotContain("<suppressionsLocation>");
    try (var files = Files.list(Path.of("build"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".xml")).toList()) {
        assertThat(Files.readString(file))
            .as("%s exempts a file from FileLength", file)
            .doesNotContain("checks=\"FileLength\"");
      }
    }
  }
}
