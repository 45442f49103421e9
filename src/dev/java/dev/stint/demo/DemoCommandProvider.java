package dev.stint.demo;

import dev.stint.app.DevelopmentCommand;
import dev.stint.app.Server;
import dev.stint.cli.CliEnvironment;
import dev.stint.config.StintConfig;
import picocli.CommandLine;

/**
 * {@code stint demo} as the development build offers it to {@code app.Main} (META-INF/services):
 * the server's code never names the demo, the demo names the server.
 */
public final class DemoCommandProvider implements DevelopmentCommand {
  @Override
  public String name() {
    return "demo";
  }

  @Override
  public Object create(CliEnvironment env) {
    return new CommandLine(new DemoCommand(env.out(), env.err(), DemoCommandProvider::server))
        .addSubcommand("agent", new DemoAgent(env.out(), env.err(), env.env()));
  }

  /** The real server, started for the demo (which runs it next to its stand-ins). */
  public static StintLauncher.Running server(StintConfig config) {
    Server server = Server.start(config);
    return new StintLauncher.Running(server.baseUrl(), server);
  }
}
