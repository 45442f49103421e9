package dev.stint.app;

import dev.stint.cli.CliEnvironment;
import dev.stint.cli.credentials.CachedCredentials;

/**
 * The jar's entry point. AWS tools run {@code stint credentials} at every process start, so a
 * cached answer is printed from here, before {@link Main} is even loaded: verifying Main would load
 * picocli, and the full command loads Jackson, the HTTP client and logging. Everything else goes to
 * {@link Main}.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    if (args.length > 0
        && "credentials".equals(args[0])
        && CachedCredentials.print(args, CliEnvironment.system())) {
      return;
    }
    Main.main(args);
  }
}
