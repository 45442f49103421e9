package dev.stint.app;

import dev.stint.common.Ports;
import dev.stint.config.ConfigException;
import dev.stint.config.ConfigLoader;
import dev.stint.config.StintConfig;
import dev.stint.log.LogEncoder;
import dev.stint.log.Logs;
import java.io.PrintStream;
import java.net.URI;
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

  /** The server log's format, read before logging starts (see {@code Main}): json or text. */
  static final String LOG_FORMAT = "STINT_LOG_FORMAT";

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
    String format = env.getOrDefault(LOG_FORMAT, "").strip();
    if (!format.isEmpty() && !LogEncoder.known(format)) {
      err.println("stint: config: " + LOG_FORMAT + " must be json or text, not '" + format + "'");
      return EXIT_CONFIG;
    }
    StintConfig config;
    try {
      config = ConfigLoader.load(Optional.ofNullable(configFile), env);
    } catch (ConfigException e) {
      err.println("stint: config: " + e.getMessage());
      return EXIT_CONFIG;
    }
    StintConfig.HostPort listen = config.listen();
    if (Ports.inUse(listen.host(), listen.port())) {
      err.println("stint: " + busy(config));
      return EXIT_STARTUP;
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
      // Another process may have taken the port after the check above.
      err.println("stint: " + (Ports.refusedAsTaken(e) ? busy(config) : e.getMessage()));
      return EXIT_STARTUP;
    }
    stopped.await();
    return 0;
  }

  /**
   * What to do about a taken port: stop its user, or listen on another. A local public_url on the
   * same port moves with it, since sign-in returns there; a public_url behind a load balancer
   * stays.
   */
  static String busy(StintConfig config) {
    StintConfig.HostPort listen = config.listen();
    int other = listen.port() == 65535 ? 8081 : listen.port() + 1;
    String host = listen.host().contains(":") ? "[" + listen.host() + "]" : listen.host();
    URI publicUrl = config.publicUrl();
    boolean local =
        publicUrl.getPort() == listen.port()
            && ("127.0.0.1".equals(publicUrl.getHost()) || "localhost".equals(publicUrl.getHost()));
    String moved =
        "STINT_LISTEN="
            + host
            + ":"
            + other
            + (local
                ? " STINT_PUBLIC_URL="
                    + publicUrl.getScheme()
                    + "://"
                    + publicUrl.getHost()
                    + ":"
                    + other
                : "");
    return "port "
        + listen.port()
        + " on "
        + listen.host()
        + " is in use; stop what uses it, or listen on another port: "
        + moved
        + " make run (or the same variables, or the listen key, for stint serve)";
  }
}
