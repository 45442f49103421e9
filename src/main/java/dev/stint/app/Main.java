package dev.stint.app;

import dev.stint.cli.CliCommands;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CommandTable;
import dev.stint.cli.CommandTable.Section;
import dev.stint.log.LogEncoder;
import java.util.ServiceLoader;
import picocli.CommandLine;

/** Entry point of the {@code stint} command: the CLI, with {@code serve} wired in from here. */
public final class Main {
  /** Logback's own property naming its configuration file (a class path resource here). */
  private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";

  public static final String CLI_LOGGING = "logback-cli.xml";

  private Main() {}

  public static void main(String[] args) {
    boolean serving = args.length > 0 && "serve".equals(args[0]);
    // The demo runs until a signal like serve, but logs like the CLI: its walkthrough is the
    // output. A subcommand of it (its scripted agent) is a command that ends, as the CLI's do.
    boolean untilSignal =
        serving
            || args.length > 0
                && "demo".equals(args[0])
                && (args.length == 1 || args[1].startsWith("-"));
    configureLogging(serving);
    int code = run(CliEnvironment.system(), args);
    // After a clean `serve` the JVM is already shutting down; System.exit would wait for ever.
    if (code != 0 || !untilSignal) {
      System.exit(code);
    }
  }

  /** The full command tree; tests that walk every command use it. */
  public static CommandLine commandLine(CliEnvironment env) {
    return table(env).whole();
  }

  /** Runs {@code args} as the process would, with only the command they name built. */
  public static int run(CliEnvironment env, String... args) {
    return table(env).forArgs(args).execute(args);
  }

  /** The client's commands, and the server's own. */
  static CommandTable table(CliEnvironment env) {
    return CliCommands.table(env)
        .add("serve", Section.OPERATORS, () -> new ServeCommand(env.env(), env.err()))
        .add("keys", Section.OPERATORS, () -> keys(env))
        // Development only, in the development build alone (src/dev): the one way to start the
        // development IdP.
        .add(
            "demo",
            Section.OPERATORS,
            () -> development("demo", env, ServiceLoader.load(DevelopmentCommand.class)));
  }

  /** The development command of that name among those found, or where to find it instead. */
  static Object development(
      String name, CliEnvironment env, Iterable<DevelopmentCommand> inThisBuild) {
    for (DevelopmentCommand command : inThisBuild) {
      if (command.name().equals(name)) {
        return command.create(env);
      }
    }
    return new NotInThisBuild(name, env.err());
  }

  private static CommandLine keys(CliEnvironment env) {
    return new CommandLine(new KeysCommand())
        .addSubcommand("generate", new KeysCommand.Generate(env));
  }

  /**
   * Must run before the first logger is created. The server logs JSON to stdout (text lines with
   * {@code STINT_LOG_FORMAT=text}, which {@code make run} sets; {@code serve} refuses any other
   * value); every other command logs warnings only, to stderr, so stdout stays clean for tools that
   * parse it.
   */
  private static void configureLogging(boolean serving) {
    if (serving) {
      String level = System.getenv("STINT_LOG_LEVEL");
      System.setProperty("stint.log.level", level == null || level.isBlank() ? "INFO" : level);
      String format = System.getenv(ServeCommand.LOG_FORMAT);
      System.setProperty(
          "stint.log.format", format == null || format.isBlank() ? LogEncoder.JSON : format);
    } else if (System.getProperty(LOGBACK_CONFIGURATION) == null) {
      System.setProperty(LOGBACK_CONFIGURATION, CLI_LOGGING);
    }
  }
}
