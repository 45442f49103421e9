package dev.stint.app;

import dev.stint.config.ConfigException;
import dev.stint.config.ConfigLoader;
import dev.stint.config.StintConfig;
import dev.stint.log.Logs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stint serve}: runs the server until SIGTERM or SIGINT, then stops it gracefully. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the stint server (embedded Postgres unless database.url is set).")
public final class ServeCommand implements Callable<Integer> {
  static final int EXIT_CONFIG = 2;
  static final int EXIT_STARTUP = 1;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "YAML configuration file; every key can be overridden by its STINT_* variable.")
  Path configFile;

  private final Map<String, String> env;
  private final PrintStream err;

  /** {@code err} gets the one line that says why the server did not start. */
  public ServeCommand(Map<String, String> env, PrintStream err) {
    this.env = Map.copyOf(env);
    this.err = err;
  }

  @Override
  public Integer call() throws InterruptedException {
    StintConfig config;
    try {
      config = ConfigLoader.load(Optional.ofNullable(configFile), env);
    } catch (ConfigException e) {
      err.println("stint: config: " + e.getMessage());
      return EXIT_CONFIG;
    }
    // The hook is in place before anything starts, so a signal at any moment stops cleanly.
    AtomicReference<Server> running = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  Server server = running.get();
                  if (server != null) {
                    server.close();
                  }
                  Logs.flush();
                  stopped.countDown();
                },
                "stint-shutdown"));
    try {
      running.set(Server.start(config));
    } catch (StartupException e) {
      err.println("stint: " + e.getMessage());
      return EXIT_STARTUP;
    }
    stopped.await();
    return 0;
  }
}
