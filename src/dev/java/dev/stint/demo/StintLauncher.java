package dev.stint.demo;

import dev.stint.config.StintConfig;
import java.net.URI;

/**
 * How the demo starts stint itself: the real server ({@link DemoCommandProvider#server}), or a
 * test's. The dependency runs one way, the demo to the server: nothing the server reaches refers to
 * the demo (DemoIsolationTest), and its jar does not hold it.
 */
@FunctionalInterface
public interface StintLauncher {
  /** Starts a stint server with this configuration, or throws saying why it could not. */
  Running start(StintConfig config);

  /** A started server: where it answers, and how to stop it. */
  record Running(URI url, AutoCloseable server) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      server.close();
    }
  }
}
