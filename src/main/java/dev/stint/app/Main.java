package dev.stint.app;

import dev.stint.cli.AdminCommand;
import dev.stint.cli.ApiClients;
import dev.stint.cli.AuditCommand;
import dev.stint.cli.CliEnvironment;
import dev.stint.cli.CompletionCommand;
import dev.stint.cli.ConsoleCommand;
import dev.stint.cli.CredentialsCommand;
import dev.stint.cli.EnvCommand;
import dev.stint.cli.Errors;
import dev.stint.cli.ExchangeCommand;
import dev.stint.cli.PolicyCommand;
import dev.stint.cli.PolicyExplainCommand;
import dev.stint.cli.PolicyTestCommand;
import dev.stint.cli.StintCommand;
import dev.stint.cli.TokenSource;
import dev.stint.cli.access.DecisionCommand;
import dev.stint.cli.access.ExtendCommand;
import dev.stint.cli.access.ExtensionsCommand;
import dev.stint.cli.access.ProfilesCommand;
import dev.stint.cli.access.RequestCommand;
import dev.stint.cli.access.RequestsCommand;
import dev.stint.cli.access.ShowCommand;
import dev.stint.cli.login.LoginCommand;
import dev.stint.cli.login.LogoutCommand;
import dev.stint.cli.login.StoredLogin;
import dev.stint.cli.login.WhoamiCommand;
import dev.stint.cli.setup.SetupAwsCommand;
import dev.stint.cli.setup.SetupCommand;
import dev.stint.config.StintConfig;
import dev.stint.demo.DemoCommand;
import dev.stint.demo.StintLauncher;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Entry point of the {@code stint} command: the CLI, with {@code serve} wired in from here. */
public final class Main {
  /** Logback's own property naming its configuration file (a class path resource here). */
  private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";

  public static final String CLI_LOGGING = "logback-cli.xml";

  private Main() {}

  public static void main(String[] args) {
    boolean serving = args.length > 0 && "serve".equals(args[0]);
    // The demo runs until a signal like serve, but logs like the CLI: its walkthrough is the
    // output.
    boolean untilSignal = serving || args.length > 0 && "demo".equals(args[0]);
    configureLogging(serving);
    int code = commandLine(CliEnvironment.system()).execute(args);
    // After a clean `serve` the JVM is already shutting down; System.exit would wait for ever.
    if (code != 0 || !untilSignal) {
      System.exit(code);
    }
  }

  /** The full command tree; tests drive it with their own environment and streams. */
  public static CommandLine commandLine(CliEnvironment env) {
    Errors errors = new Errors(env);
    // Every command that talks to the server takes its token from here: --token-file, then
    // STINT_TOKEN, then the stored login (refreshed when it is about to expire).
    ApiClients clients = new ApiClients(env, new TokenSource(env, new StoredLogin(env)));
    CommandLine cli =
        new CommandLine(new StintCommand())
            .addSubcommand("serve", new ServeCommand(env.env(), env.err()))
            .addSubcommand("login", new LoginCommand(env))
            .addSubcommand("logout", new LogoutCommand(env))
            .addSubcommand("whoami", new WhoamiCommand(env, clients.tokens()))
            .addSubcommand(
                "policy",
                new CommandLine(new PolicyCommand())
                    .addSubcommand("check", new PolicyCommand.Check(env))
                    .addSubcommand("explain", new PolicyExplainCommand(env))
                    .addSubcommand("test", new PolicyTestCommand(env)))
            .addSubcommand(
                "keys",
                new CommandLine(new KeysCommand())
                    .addSubcommand("generate", new KeysCommand.Generate(env)))
            .addSubcommand("credentials", new CredentialsCommand(env, clients.tokens()))
            .addSubcommand("env", new EnvCommand(env, clients.tokens()))
            .addSubcommand("console", new ConsoleCommand(env, clients.tokens()))
            .addSubcommand("exchange", new ExchangeCommand(env, clients.tokens()))
            .addSubcommand("profiles", new ProfilesCommand(clients))
            .addSubcommand("request", new RequestCommand(clients))
            .addSubcommand("requests", new RequestsCommand(clients))
            .addSubcommand("show", new ShowCommand(clients))
            .addSubcommand("extend", new ExtendCommand(clients))
            .addSubcommand("extensions", new ExtensionsCommand(clients))
            .addSubcommand(
                "setup",
                new CommandLine(new SetupCommand())
                    .addSubcommand("aws", new SetupAwsCommand(clients)));
    for (DecisionCommand.Action action : DecisionCommand.Action.values()) {
      CommandLine decision = new CommandLine(new DecisionCommand(clients, action));
      decision.getCommandSpec().usageMessage().description(action.description);
      cli.addSubcommand(action.command(), decision);
    }
    cli.addSubcommand("audit", AuditCommand.commandLine(env, clients.tokens()));
    cli.addSubcommand("completion", new CompletionCommand(env));
    cli.addSubcommand("admin", AdminCommand.commandLine(env, clients.tokens()));
    // Development only: the one way to start the development IdP (see dev.stint.demo).
    cli.addSubcommand("demo", new DemoCommand(env.out(), env.err(), Main::demoServer));
    withHelp(cli);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(errors);
    cli.setParameterExceptionHandler(errors);
    cli.setOut(new PrintWriter(env.out(), true));
    cli.setErr(new PrintWriter(env.err(), true));
    return cli;
  }

  /**
   * Gives every subcommand {@code -h/--help}: picocli's error messages point there ("see 'stint
   * credentials --help'"), and only some commands declared it themselves.
   */
  private static void withHelp(CommandLine command) {
    for (CommandLine sub : command.getSubcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      if (spec.findOption("--help") == null) {
        spec.addOption(
            OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .description("Show this help message and exit.")
                .build());
      }
      withHelp(sub);
    }
  }

  /** The real server, started for the demo (which runs it next to its stand-ins). */
  public static StintLauncher.Running demoServer(StintConfig config) {
    Server server = Server.start(config);
    return new StintLauncher.Running(server.baseUrl(), server);
  }

  /**
   * Must run before the first logger is created. The server logs JSON to stdout; every other
   * command logs warnings only, to stderr, so stdout stays clean for tools that parse it.
   */
  private static void configureLogging(boolean serving) {
    if (serving) {
      String level = System.getenv("STINT_LOG_LEVEL");
      System.setProperty("stint.log.level", level == null || level.isBlank() ? "INFO" : level);
    } else if (System.getProperty(LOGBACK_CONFIGURATION) == null) {
      System.setProperty(LOGBACK_CONFIGURATION, CLI_LOGGING);
    }
  }
}
