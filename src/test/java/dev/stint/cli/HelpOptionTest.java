package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.CliRun;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command answers --help, as picocli's own error messages tell people to try. */
class HelpOptionTest {
  @TempDir Path home;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "credentials",
        "console",
        "setup",
        "setup aws",
        "completion",
        "request",
        "audit verify",
        "policy check",
        "access-review",
        "access-review decide"
      })
  void everyCommandPrintsItsUsage(String command) {
    String[] args = (command + " --help").split(" ");

    CliRun run = CliRun.run(home, Map.of(), args);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: stint " + command);
  }
}
