package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Without Chromium the browser tests skip locally but fail in CI, and the README's screenshot is
 * the one the browser tests produce.
 */
class ChromiumSessionIT {
  private static final Path ABSENT = Path.of("/nonexistent/chromium");

  @Test
  void withoutChromiumTheBrowserTestsAreSkippedWithTheReason() {
    assertThatThrownBy(() -> ChromiumSession.requireChromium(ABSENT, ABSENT, Map.of()))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("chromium-driver");
  }

  @Test
  void withoutChromiumCiFailsInsteadOfSkipping() {
    assertThatThrownBy(
            () ->
                ChromiumSession.requireChromium(
                    ABSENT, ABSENT, Map.of("STINT_REQUIRE_BROWSER", "1")))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("STINT_REQUIRE_BROWSER=1");
  }

  @Test
  void theReadmeShowsTheScreenshotTheBrowserTestsWrite() throws Exception {
    assertThat(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8))
        .contains("](docs/img/ui-request.png)");
    byte[] png = Files.readAllBytes(ChromiumSession.README_IMAGES.resolve("ui-request.png"));
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
  }
}
