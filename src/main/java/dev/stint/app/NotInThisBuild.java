package dev.stint.app;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * A development command asked of a build without it (an installed package): it says where the
 * command is instead of picocli's "unknown command". Hidden from the usage, which lists only what
 * this build can run.
 */
@Command(hidden = true, description = "Not in this build: run it from a stint checkout.")
final class NotInThisBuild implements Callable<Integer> {
  static final int EXIT_ABSENT = 1;

  private final String name;
  private final PrintStream err;

  /** Whatever the command would have taken: the answer is the same for all of it. */
  @Unmatched List<String> arguments;

  NotInThisBuild(String name, PrintStream err) {
    this.name = name;
    this.err = err;
  }

  @Override
  public Integer call() {
    err.println(
        "stint "
            + name
            + ": the "
            + name
            + " is not in this build; run it from a checkout with make "
            + name);
    return EXIT_ABSENT;
  }
}
