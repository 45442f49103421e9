package dev.stint.cli;

import dev.stint.cli.credentials.CachedCredentials;

/**
 * Entry point of the client package, the command line without the server: the commands of {@link
 * CliCommands}. A cached {@code stint credentials} answer is printed before the command tree is
 * even loaded, as in the full build's {@code app.Launcher}.
 */
public final class CliMain {
  private CliMain() {}

  public static void main(String[] args) {
    CliEnvironment env = CliEnvironment.system();
    if (args.length > 0 && "credentials".equals(args[0]) && CachedCredentials.print(args, env)) {
      return;
    }
    System.exit(CliCommands.table(env).forArgs(args).execute(args));
  }
}
