package dev.stint.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.CliRun;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint serve} refusing its configuration, in-process: exit code 2 and one line that names
 * the key, before anything starts. What needs a process (signals, the database, restarts) is in
 * {@link ServeProcessIT}.
 */
class ServeCommandTest {
  @TempDir Path dir;
  Map<String, String> env;

  @BeforeEach
  void policies() throws Exception {
    Files.createDirectories(dir.resolve("policies"));
    Files.writeString(dir.resolve("policies/policy.yaml"), "profiles: {}\n");
    env =
        new HashMap<>(
            Map.of(
                "STINT_LISTEN", "127.0.0.1:0",
                "STINT_POLICIES", dir.resolve("policies").toString(),
                "STINT_DATA_DIR", dir.resolve("data").toString()));
  }

  @Test
  void aNonsenseListenAddressExitsWithTheKeyNamed() {
    env.put("STINT_LISTEN", "nonsense");

    CliRun run = CliRun.run(dir, env, "serve");

    assertThat(run.exitCode()).isEqualTo(ServeCommand.EXIT_CONFIG);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("stint: config: ")
        .contains("listen", "STINT_LISTEN", "nonsense");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aTakenPortIsNamedWithWhatToDoBeforeAnythingStarts() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      env.put("STINT_LISTEN", "127.0.0.1:" + port);
      env.put("STINT_PUBLIC_URL", "http://127.0.0.1:" + port);

      CliRun run = CliRun.run(dir, env, "serve");

      assertThat(run.exitCode()).isEqualTo(ServeCommand.EXIT_STARTUP);
      assertThat(run.err())
          .isEqualTo(
              "stint: port "
                  + port
                  + " on 127.0.0.1 is in use; stop what uses it, or listen on another port:"
                  + " STINT_LISTEN=127.0.0.1:"
                  + (port + 1)
                  + " STINT_PUBLIC_URL=http://127.0.0.1:"
                  + (port + 1)
                  + " make run (or the same variables, or the listen key, for stint serve)\n");
      assertThat(dir.resolve("data")).as("nothing started").doesNotExist();
    }
  }

  @Test
  void aLogFormatOtherThanJsonOrTextIsRefusedBeforeAnythingStarts() {
    env.put("STINT_LOG_FORMAT", "yaml");

    CliRun run = CliRun.run(dir, env, "serve");

    assertThat(run.exitCode()).isEqualTo(ServeCommand.EXIT_CONFIG);
    assertThat(run.err())
        .isEqualTo("stint: config: STINT_LOG_FORMAT must be json or text, not 'yaml'\n");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aPublicUrlElsewhereIsNotMovedWithThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      env.put("STINT_LISTEN", "127.0.0.1:" + port);
      env.put("STINT_PUBLIC_URL", "https://stint.example.com");

      CliRun run = CliRun.run(dir, env, "serve");

      assertThat(run.exitCode()).isEqualTo(ServeCommand.EXIT_STARTUP);
      assertThat(run.err())
          .contains("port " + port + " on 127.0.0.1 is in use")
          .contains("STINT_LISTEN=127.0.0.1:" + (port + 1))
          .doesNotContain("STINT_PUBLIC_URL");
    }
  }

  @Test
  void anUnknownKeyInTheConfigFileExitsWithTheKeyAndFileNamed() throws Exception {
    Path config = dir.resolve("stint.yaml");
    Files.writeString(config, "listen: 127.0.0.1:0\nlistne: oops\n");

    CliRun run = CliRun.run(dir, env, "serve", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(ServeCommand.EXIT_CONFIG);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("stint: config: ")
        .contains("unknown key 'listne'", "stint.yaml");
    assertThat(dir.resolve("data")).doesNotExist();
  }
}
