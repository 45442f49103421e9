package dev.stint.demo;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack's emoji shortcodes, as Slack shows them, for the ones stint's messages use: the stand-in's
 * page would otherwise show {@code :white_check_mark:} where Slack shows a check mark. A shortcode
 * not listed stays as typed, as Slack leaves a name it does not know.
 */
final class SlackEmoji {
  private static final Pattern SHORTCODE = Pattern.compile(":([a-z0-9_+-]+):");

  /** The shortcodes stint sends (SlackEmojiTest keeps this in step with dev.stint.notify.slack). */
  static final Map<String, String> KNOWN =
      Map.ofEntries(
          Map.entry("white_check_mark", "\u2705"),
          Map.entry("x", "\u274C"),
          Map.entry("heavy_multiplication_x", "\u2716\uFE0F"),
          Map.entry("hourglass", "\u231B"),
          Map.entry("alarm_clock", "\u23F0"),
          Map.entry("clock3", "\uD83D\uDD52"),
          Map.entry("rotating_light", "\uD83D\uDEA8"),
          Map.entry("no_entry", "\u26D4"),
          Map.entry("warning", "\u26A0\uFE0F"),
          Map.entry("arrow_double_up", "\u23EB"),
          Map.entry("robot_face", "\uD83E\uDD16"));

  private SlackEmoji() {}

  /** {@code text} with every known shortcode replaced by its emoji. */
  static String render(String text) {
    Matcher codes = SHORTCODE.matcher(text);
    return codes.replaceAll(
        m -> Matcher.quoteReplacement(KNOWN.getOrDefault(m.group(1), m.group())));
  }
}
