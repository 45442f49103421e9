package dev.stint.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The root {@code stint} command; subcommands are added at wiring time (see app.Main). */
@Command(
    name = "stint",
    mixinStandardHelpOptions = true,
    versionProvider = StintCommand.Version.class,
    description = "Temporary cloud credentials, approved and audited.",
    subcommandsRepeatable = false)
public final class StintCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // `stint` alone prints the usage, like `git`.
    spec.commandLine().usage(System.out);
  }

  /** Reads the version, commit and build time Maven wrote into the build. */
  public static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in =
          StintCommand.class.getResourceAsStream("/dev/stint/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "stint "
            + p.getProperty("version", "unknown")
            + " (commit "
            + p.getProperty("commit", "unknown")
            + ", built "
            + p.getProperty("built", "unknown")
            + ")"
      };
    }
  }
}
