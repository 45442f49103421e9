package dev.stint.cli;

import java.util.Map;
import java.util.Optional;

/**
 * {@link Prompter} on the controlling terminal, so a captured stdout never hides the question;
 * nobody is asked when there is no terminal or {@code CI} is set in the environment it was made
 * with (see {@link Terminal#open}).
 */
public final class TerminalPrompter implements Prompter {
  private final Map<String, String> env;

  /** Asking on the terminal, unless {@code env} (the command's environment) sets {@code CI}. */
  public TerminalPrompter(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public boolean canAsk() {
    Optional<Terminal> tty = Terminal.open(env, false);
    tty.ifPresent(Terminal::close);
    return tty.isPresent();
  }

  @Override
  public Optional<String> ask(String question) {
    Optional<Terminal> tty = Terminal.open(env, false);
    if (tty.isEmpty()) {
      return Optional.empty();
    }
    try (Terminal t = tty.get()) {
      return Optional.of(t.ask(question));
    }
  }
}
