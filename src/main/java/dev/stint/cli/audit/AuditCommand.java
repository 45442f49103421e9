package dev.stint.cli.audit;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.TokenSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stint audit}: the auditor's commands (export, verify). */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Export and verify the audit log (auditors only).")
public final class AuditCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The command with its subcommands, ready to add under the root. */
  public static CommandLine commandLine(CliEnvironment env, TokenSource tokens) {
    return new CommandLine(new AuditCommand())
        .addSubcommand("export", new AuditExportCommand(env, tokens))
        .addSubcommand("verify", new AuditVerifyCommand(env, tokens));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
