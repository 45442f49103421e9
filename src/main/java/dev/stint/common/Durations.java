package dev.stint.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser for human durations ({@code 90s}, {@code 30m}, {@code 2h}, {@code 1h30m}, {@code
 * 7d}), used by the configuration, the policies and the CLI alike so they can never disagree.
 */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+[dhms])+");
  private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");
  // Far beyond any sensible grant; keeps arithmetic on parsed values from overflowing.
  private static final Duration MAX = Duration.ofDays(366);

  private Durations() {}

  /** Parses a duration; throws IllegalArgumentException with a readable reason. */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text.trim()).matches()) {
      throw new IllegalArgumentException(
          "expected a duration such as 90s, 30m, 2h or 1h30m, got '" + text + "'");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text.trim());
    while (m.find()) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("duration '" + text + "' is too large");
      }
      if (n > MAX.toSeconds()) {
        throw new IllegalArgumentException("duration '" + text + "' is too large");
      }
      total = total.plus(unit(m.group(2)).multipliedBy(n));
    }
    if (total.isZero()) {
      throw new IllegalArgumentException("duration '" + text + "' must be greater than zero");
    }
    if (total.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("duration '" + text + "' is longer than 366 days");
    }
    return total;
  }

  /** Formats a duration the way {@link #parse} reads it, largest units first ({@code 1h30m}). */
  public static String format(Duration d) {
    long s = d.toSeconds();
    if (s == 0) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    long days = s / 86_400;
    long hours = (s % 86_400) / 3600;
    long minutes = (s % 3600) / 60;
    long seconds = s % 60;
    if (days > 0) b.append(days).append('d');
    if (hours > 0) b.append(hours).append('h');
    if (minutes > 0) b.append(minutes).append('m');
    if (seconds > 0) b.append(seconds).append('s');
    return b.toString();
  }

  private static Duration unit(String u) {
    return switch (u) {
      case "d" -> Duration.ofDays(1);
      case "h" -> Duration.ofHours(1);
      case "m" -> Duration.ofMinutes(1);
      default -> Duration.ofSeconds(1);
    };
  }
}
