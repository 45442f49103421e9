package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pieces {@link DemoWalkthroughIT} builds its shell scripts from, the walkthrough's lines as
 * printed in between: markers that cut the output into sections, a loop that waits for a refusal,
 * and the values read back from a printed line.
 */
final class WalkthroughScript {
  /** How long, in seconds, a kept key may still be accepted after its grant or lease ends. */
  static final int REFUSED_WITHIN = 120;

  private WalkthroughScript() {}

  /**
   * Runs {@code line} until it fails, at most {@link #REFUSED_WITHIN} seconds apart by a second,
   * then prints its last answer: a revoke reaches IAM moments after it is made, and an end_when
   * only at stint's next check of the ticket.
   */
  static String untilRefused(String line) {
    return "n=0; while "
        + line
        + " >\"$TMPDIR/refused.out\" 2>&1 && [ $n -lt "
        + REFUSED_WITHIN
        + " ]; do n=$((n+1)); sleep 1; done; cat \"$TMPDIR/refused.out\"";
  }

  static String marker(String name) {
    return "--" + name + "--";
  }

  /** What the script printed after {@code name}'s marker, up to the next marker. */
  static String section(String out, String name) {
    int start = out.indexOf(marker(name) + "\n");
    assertThat(start).as(out).isNotNegative();
    String rest = out.substring(start + marker(name).length() + 1);
    int end = rest.indexOf("\n--");
    return end < 0 ? rest : rest.substring(0, end);
  }

  /** The value an {@code export} line gives {@code name}. */
  static String value(String exportLine, String name) {
    Matcher m = Pattern.compile("\\b" + name + "=(\\S+)").matcher(exportLine);
    assertThat(m.find()).as(exportLine).isTrue();
    return m.group(1);
  }

  static String between(String line, String before, String after) {
    int start = line.indexOf(before) + before.length();
    return line.substring(start, line.indexOf(after, start));
  }
}
