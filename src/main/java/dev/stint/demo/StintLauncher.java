package dev.stint.demo;

import dev.stint.config.StintConfig;
import java.net.URI;

/**
 * How the demo starts stint itself. The composition root ({@code app.Main}) passes the real server
 * in, so this package never imports app: the dependency runs one way, app to demo, and nothing the
 * server reaches refers to the demo (DemoIsolationTest).
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
