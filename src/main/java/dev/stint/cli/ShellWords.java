package dev.stint.cli;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Command lines stint writes for people to run or for tools to start: AWS tools split {@code
 * credential_process} like a POSIX shell, and a hint is pasted into one.
 */
public final class ShellWords {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._/:@%+=,-]+");

  private ShellWords() {}

  /** {@code word} as one POSIX shell word: bare when nothing in it is special, else quoted. */
  public static String quote(String word) {
    if (SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\"'\"'") + "'";
  }

  /** {@code --param NAME=VALUE} for each value, in order, each one quoted shell word. */
  public static String paramFlags(Map<String, String> values) {
    StringBuilder flags = new StringBuilder();
    values.forEach((name, value) -> flags.append(" --param ").append(quote(name + "=" + value)));
    return flags.toString();
  }
}
