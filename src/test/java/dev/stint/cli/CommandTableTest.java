package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.testing.CliRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A run builds only the command it names; the usage, the completion script and a mistyped command
 * get every command; {@code stint --help} lists them in sections, the daily ones first.
 */
class CommandTableTest {
  @TempDir Path home;

  private CommandTable table() {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return CliCommands.table(new CliEnvironment(Map.of(), home, Clock.systemUTC(), quiet, quiet));
  }

  @Test
  void aRunBuildsOnlyTheCommandItNames() {
    assertThat(table().forArgs("whoami").getSubcommands()).containsOnlyKeys("whoami");
    assertThat(table().forArgs("credentials", "prod", "--refresh").getSubcommands())
        .containsOnlyKeys("credentials");
    assertThat(table().forArgs("--version").getSubcommands()).isEmpty();
  }

  @Test
  void theUsageTheCompletionScriptAndAMistypedCommandGetEveryCommand() {
    int all = table().whole().getSubcommands().size();

    assertThat(table().forArgs().getSubcommands()).hasSize(all);
    assertThat(table().forArgs("--help").getSubcommands()).hasSize(all);
    assertThat(table().forArgs("completion", "bash").getSubcommands()).hasSize(all);
    assertThat(table().forArgs("__complete", "--", "credentials", "").getSubcommands())
        .hasSize(all);
    assertThat(table().forArgs("whoamii").getSubcommands()).hasSize(all);
  }

  @Test
  void everyCommandOfTheWholeTreeRunsOnItsOwn() {
    for (String name : table().whole().getSubcommands().keySet()) {
      CommandLine alone = table().forArgs(name, "--help");
      assertThat(alone.getSubcommands().keySet()).as(name).contains(name);
      assertThat(alone.getSubcommands().get(name).getCommandSpec().findOption("--help"))
          .as(name + " --help")
          .isNotNull();
    }
  }

  @Test
  void theUsageListsTheDailyCommandsFirstInSectionsAndHidesTheCompletionHook() {
    CliRun run = CliRun.run(home, Map.of(), "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .containsSubsequence(
            "Daily commands:",
            "credentials",
            "whoami",
            "Requests and approvals:",
            "approve",
            "access-review",
            "Setting up:",
            "Pipelines:",
            "exchange",
            "Policy and audit:",
            "Operating a server:",
            "serve")
        .doesNotContain("__complete")
        .doesNotContain("Commands:\n");
  }

  @Test
  void aMistypedCommandIsRefusedWithTheNearestOnes() {
    CliRun run = CliRun.run(home, Map.of(), "whoamii");

    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(run.err()).contains("'whoamii'").contains("did you mean whoami?");
  }

  @Test
  void aCommandIsAddedOnce() {
    assertThatThrownBy(
            () -> table().add("whoami", CommandTable.Section.DAILY, () -> new StintCommand()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whoami");
  }
}
