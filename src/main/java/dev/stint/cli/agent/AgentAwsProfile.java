package dev.stint.cli.agent;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CliException;
import dev.stint.cli.ShellWords;
import dev.stint.cli.setup.AwsConfigBlock;
import dev.stint.cli.setup.ConfigFiles;
import dev.stint.cli.setup.SetupAwsCommand;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The AWS profile {@code stint mcp} writes once a lease its agent asked is active: {@code [profile
 * stint-lse_…]} whose {@code credential_process} mints that lease with the agent file ({@code stint
 * credentials --agent-file FILE --lease LEASE --server URL}), in a block of the AWS config ({@code
 * AWS_CONFIG_FILE}, else {@code ~/.aws/config}) that agents own. The agent's AWS tools use it by
 * name; no credential ever passes through the conversation.
 */
final class AgentAwsProfile {
  static final AwsConfigBlock.Markers MARKERS =
      new AwsConfigBlock.Markers(
          "# >>> stint agent profiles",
          "# <<< stint agent profiles",
          "stint mcp",
          "remove the other profile of that name");

  private static final List<String> COMMENT =
      List.of(
          "# Written by `stint mcp`: one profile per lease an agent asked and a person approved;",
          "# each mints that lease alone. Put your own profiles outside this block.");

  private AgentAwsProfile() {}

  /** The profile's name for {@code leaseId}. */
  static String nameOf(String leaseId) {
    return "stint-" + leaseId;
  }

  /** Writes the profile of {@code leaseId}: its name. */
  static String write(
      CliEnvironment env, Path agentFile, URI server, String leaseId, Optional<String> region) {
    String name = nameOf(leaseId);
    String command =
        ShellWords.quote(SetupAwsCommand.installedCommand(env))
            + " credentials --agent-file "
            + ShellWords.quote(agentFile.toAbsolutePath().toString())
            + " --lease "
            + leaseId
            + " --server "
            + ShellWords.quote(server.toString());
    Path config = SetupAwsCommand.configFile(env);
    String before = read(config);
    try {
      List<AwsConfigBlock.Entry> entries = new ArrayList<>();
      for (AwsConfigBlock.Entry kept : AwsConfigBlock.entries(before, MARKERS)) {
        if (!kept.awsProfile().equals(name)) {
          entries.add(kept);
        }
      }
      entries.add(new AwsConfigBlock.Entry(name, command, region));
      List<String> names = entries.stream().map(AwsConfigBlock.Entry::awsProfile).toList();
      AwsConfigBlock.Change change =
          AwsConfigBlock.apply(
              before, AwsConfigBlock.render(MARKERS, COMMENT, entries), names, MARKERS);
      if (change.changed()) {
        ConfigFiles.replace(config, change.before(), change.after());
      }
      return name;
    } catch (AwsConfigBlock.Refused e) {
      throw new CliException(CliException.FAILED, config + ": " + e.getMessage());
    }
  }

  private static String read(Path config) {
    try {
      return Files.exists(config) ? Files.readString(config) : "";
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot read " + config + ": " + e.getMessage());
    }
  }
}
