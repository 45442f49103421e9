package dev.stint.cli.profile;

import dev.stint.cli.ApiClients;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stint profile suggest}: what a profile's evidence says it needs. */
@Command(
    name = "profile",
    description = "Right-size a profile from what its credentials did (auditors, admins).",
    mixinStandardHelpOptions = true)
public final class ProfileCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static CommandLine commandLine(ApiClients clients) {
    return new CommandLine(new ProfileCommand())
        .addSubcommand("suggest", new SuggestCommand(clients));
  }
}
