package dev.stint.demo;

import dev.stint.common.Ports;
import dev.stint.log.Logs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stint demo}: DEVELOPMENT ONLY. Runs the {@link DemoStack} on 127.0.0.1 until SIGINT or
 * SIGTERM, after printing the URL and a walkthrough. This command is the only thing that starts the
 * development IdP.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "DEVELOPMENT ONLY: run stint on 127.0.0.1 with a development identity provider",
      "(alice, bob, carol; no passwords) and local AWS, Slack, PagerDuty and Jira stand-ins,",
      "then print a walkthrough.",
      "Everything lives in a temporary directory and is deleted on exit, unless --keep names",
      "a directory to keep it in (make run, with no identity provider configured: .stint-dev)."
    })
public final class DemoCommand implements Callable<Integer> {
  static final int EXIT_STARTUP = 1;

  /** The demo listens on loopback only: its users have no passwords. */
  private static final String HOST = "127.0.0.1";

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "Port of stint on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--policies",
      paramLabel = "DIR",
      defaultValue = "policies/demo",
      description = "The demo policy directory (default: ${DEFAULT-VALUE}).")
  Path policies;

  @Option(
      names = "--keep",
      paramLabel = "DIR",
      description = {
        "Keep the database, keys, policy copy and CLI login in DIR (created if absent) for the",
        "next run, instead of a temporary directory deleted on exit."
      })
  Optional<Path> keep = Optional.empty();

  private final PrintStream out;
  private final PrintStream err;
  private final StintLauncher stint;

  public DemoCommand(PrintStream out, PrintStream err, StintLauncher stint) {
    this.out = out;
    this.err = err;
    this.stint = stint;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.isDirectory(policies)) {
      err.println(
          "stint demo: no demo policies at "
              + policies.toAbsolutePath()
              + " (run it from the stint checkout, or pass --policies DIR)");
      return EXIT_STARTUP;
    }
    if (Ports.inUse(HOST, port)) {
      err.println("stint demo: " + busy(port, keep.isPresent()));
      return EXIT_STARTUP;
    }
    AtomicReference<DemoStack> running = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  DemoStack stack = running.get();
                  if (stack != null) {
                    stack.close();
                  }
                  Logs.flush();
                  stopped.countDown();
                },
                "stint-demo-shutdown"));
    err.println(
        "stint demo: starting (embedded Postgres, development IdP, AWS, Slack, PagerDuty and Jira"
            + " stand-ins)...");
    try {
      running.set(DemoStack.start(policies, port, stint, keep));
    } catch (IOException | RuntimeException e) {
      // Another process may have taken the port after the check above.
      boolean taken = port != 0 && Ports.refusedAsTaken(e);
      err.println(
          "stint demo: "
              + (taken ? busy(port, keep.isPresent()) : "could not start: " + rootMessage(e)));
      return EXIT_STARTUP;
    }
    out.println(DemoWalkthrough.text(running.get()));
    out.flush();
    stopped.await();
    return 0;
  }

  /**
   * How to run the demo beside whatever holds the port, for make and for bin/stint alike: a kept
   * demo is {@code make run}'s, which moves as {@code make run} does, by {@code STINT_LISTEN}.
   */
  static String busy(int port, boolean kept) {
    int other = port == 65535 ? 8081 : port + 1;
    return "port "
        + port
        + " on "
        + HOST
        + " is in use; stop what uses it or run `"
        + (kept ? "STINT_LISTEN=127.0.0.1:" + other + " make run" : "make demo DEMO_PORT=" + other)
        + "` (bin/stint demo "
        + (kept ? "--keep DIR " : "")
        + "--port "
        + other
        + "; 0 picks a free port)";
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
