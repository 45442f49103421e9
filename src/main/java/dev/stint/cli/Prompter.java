package dev.stint.cli;

import java.util.Locale;
import java.util.Optional;

/**
 * Asks the person at the keyboard a yes-or-no question before something that cannot be undone. The
 * real one asks on the controlling terminal ({@link TerminalPrompter}); tests give their own
 * answers.
 */
public interface Prompter {
  /** Whether anyone can be asked: a command that must ask refuses early when no one can. */
  boolean canAsk();

  /** The line typed in answer, or empty when no one could be asked. */
  Optional<String> ask(String question);

  /** A yes: "y" or "yes" in any case; anything else, including no answer, is a no. */
  static boolean yes(Optional<String> answer) {
    return answer
        .map(a -> a.strip().toLowerCase(Locale.ROOT))
        .filter(a -> a.equals("y") || a.equals("yes"))
        .isPresent();
  }
}
