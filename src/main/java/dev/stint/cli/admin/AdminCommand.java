package dev.stint.cli.admin;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.TokenSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stint admin}: the policy admins' commands. */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Commands for the policy's admins.")
public final class AdminCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The command with its subcommands, ready to add under the root. */
  public static CommandLine commandLine(CliEnvironment env, TokenSource tokens) {
    return new CommandLine(new AdminCommand())
        .addSubcommand("outbox", new OutboxCommand(env, tokens));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
