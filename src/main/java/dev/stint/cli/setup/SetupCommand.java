package dev.stint.cli.setup;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stint setup}: configures other tools to use stint; {@code aws} is the one so far. */
@Command(name = "setup", description = "Configure other tools to get their credentials from stint.")
public final class SetupCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
