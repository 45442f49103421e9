package dev.stint.cli.lease;

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
import java.util.regex.Pattern;

/**
 * {@code --aws-profile NAME}: a {@code [profile NAME]} whose {@code credential_process} mints on a
 * lease's token file, in a block of the AWS config that lease commands own. Not in {@code stint
 * setup aws}'s block, which a re-run of setup replaces whole; a name defined anywhere outside this
 * block (setup's included) is refused, as setup refuses one outside its own. Other lease profiles
 * in the block are kept; one of the same name is replaced.
 */
final class LeaseAwsProfile {
  static final AwsConfigBlock.Markers MARKERS =
      new AwsConfigBlock.Markers(
          "# >>> stint lease profiles",
          "# <<< stint lease profiles",
          "stint lease create --aws-profile",
          "pick another --aws-profile NAME");

  /** What AWS config and a shell both take as a profile name without quoting. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private static final List<String> COMMENT =
      List.of(
          "# Written by `stint lease create --aws-profile`: one profile per lease token file;",
          "# a later run for the same name replaces it. Put your own profiles outside this block.");

  private final CliEnvironment env;
  private final String name;
  private final String stint;

  private LeaseAwsProfile(CliEnvironment env, String name, String stint) {
    this.env = env;
    this.name = name;
    this.stint = stint;
  }

  /**
   * Checks, before the lease is asked for, everything that would stop the profile being written:
   * the name, where stint is installed, and the config file's blocks and names (nothing is written
   * here). A lease created and then left without its profile would be a lease nobody asked for.
   */
  static LeaseAwsProfile prepare(CliEnvironment env, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new CliException(
          CliException.USAGE,
          "--aws-profile takes 1 to 64 letters, digits, '.', '_' and '-', like lease-task-1");
    }
    LeaseAwsProfile profile = new LeaseAwsProfile(env, name, SetupAwsCommand.installedCommand(env));
    profile.change(Path.of("lease.token"), URI.create("http://127.0.0.1"), Optional.empty());
    return profile;
  }

  /**
   * Writes {@code [profile NAME]} with {@code credential_process = <stint> credentials --lease-file
   * FILE --server URL} (each word shell-quoted: AWS tools split it as a POSIX shell does) and
   * {@code region = R} when {@code region} is present (decided as {@code stint setup aws} decides
   * it, {@link SetupAwsCommand#region}), and returns the config file written.
   */
  Path write(Path tokenFile, URI server, Optional<String> region) {
    Path config = SetupAwsCommand.configFile(env);
    AwsConfigBlock.Change change = change(tokenFile, server, region);
    if (change.changed()) {
      ConfigFiles.replace(config, change.before(), change.after());
    }
    return config;
  }

  String name() {
    return name;
  }

  private AwsConfigBlock.Change change(Path tokenFile, URI server, Optional<String> region) {
    String command =
        ShellWords.quote(stint)
            + " credentials --lease-file "
            + ShellWords.quote(tokenFile.toAbsolutePath().toString())
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
      return AwsConfigBlock.apply(
          before, AwsConfigBlock.render(MARKERS, COMMENT, entries), names, MARKERS);
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
