package dev.stint.cli;

import java.util.Optional;

/** {@link Prompter} on the controlling terminal, so a captured stdout never hides the question. */
final class TerminalPrompter implements Prompter {
  @Override
  public boolean canAsk(CliEnvironment env) {
    Optional<Terminal> tty = Terminal.open(env, false);
    tty.ifPresent(Terminal::close);
    return tty.isPresent();
  }

  @Override
  public Optional<String> ask(CliEnvironment env, String question) {
    Optional<Terminal> tty = Terminal.open(env, false);
    if (tty.isEmpty()) {
      return Optional.empty();
    }
    try (Terminal t = tty.get()) {
      return Optional.of(t.ask(question));
    }
  }
}
