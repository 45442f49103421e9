package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Slack stand-in's page shows stint's emoji shortcodes as Slack does, not as typed. */
class SlackEmojiTest {
  @Test
  void theShortcodesStintSendsAreShownAsEmoji() {
    assertThat(SlackDemoPage.mrkdwn(":white_check_mark: *Approved* by bob"))
        .isEqualTo("\u2705 <strong>Approved</strong> by bob");
    assertThat(SlackDemoPage.mrkdwn(":x: Denied :rotating_light: break-glass"))
        .isEqualTo("\u274C Denied \uD83D\uDEA8 break-glass");
  }

  @Test
  void anythingElseBetweenColonsStaysAsTyped() {
    assertThat(SlackDemoPage.mrkdwn("ends 10:15:02 :not_an_emoji: <http://127.0.0.1:8080/ui|page>"))
        .isEqualTo("ends 10:15:02 :not_an_emoji: <a href=\"http://127.0.0.1:8080/ui\">page</a>");
    assertThat(SlackDemoPage.mrkdwn(":white_check_mark")).isEqualTo(":white_check_mark");
  }

  /** Every shortcode in stint's Slack messages has its emoji here, so none shows as typed. */
  @Test
  void everyShortcodeTheNotifyPackageSendsIsKnown() throws IOException {
    Pattern quoted = Pattern.compile("\"[^\"\\n]*\"");
    Pattern shortcode = Pattern.compile(":([a-z][a-z0-9_+-]*):");
    Set<String> sent = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/stint/notify"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher strings = quoted.matcher(Files.readString(file));
        while (strings.find()) {
          Matcher codes = shortcode.matcher(strings.group());
          while (codes.find()) {
            sent.add(codes.group(1));
          }
        }
      }
    }

    assertThat(sent).as("stint sends some").contains("white_check_mark");
    assertThat(SlackEmoji.KNOWN.keySet()).containsAll(sent);
  }
}
