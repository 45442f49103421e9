package dev.stint.cli.completion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.cli.CliException;
import dev.stint.testing.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The completion scripts, run by a real bash the way bash-completion runs them. */
class CompletionTest {
  @TempDir Path home;

  private Path script(String shell) throws Exception {
    CliRun run = CliRun.run(home, Map.of(), "completion", shell);
    assertThat(run.exitCode()).as(run.err()).isZero();
    Path file = home.resolve("stint." + shell);
    Files.writeString(file, run.out());
    return file;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "stint setup '' | aws",
        "stint cons | console",
        "stint console prod --bro | --browser --browser-profile",
        "stint setup aws --dry | --dry-run",
        "stint revoke req_1 --y | --yes"
      })
  void bashCompletesCommandsAndOptions(String words, String expected) throws Exception {
    Path script = script("bash");
    String[] parts = words.split(" ");
    String bash =
        "source '"
            + script
            + "' 2>/dev/null; COMP_WORDS=("
            + words
            + "); COMP_CWORD="
            + (parts.length - 1)
            + "; _complete_stint 2>/dev/null; echo \"${COMPREPLY[*]}\"";
    Process p = new ProcessBuilder("bash", "-c", bash).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(out).isEqualTo(expected);
  }

  @Test
  void zshGetsTheSameFunctionsAsAnAutoloadedCompletion() throws Exception {
    String zsh = Files.readString(script("zsh"));

    assertThat(zsh)
        .startsWith("#compdef stint\nautoload -U +X bashcompinit && bashcompinit\n")
        .contains("function _complete_stint()")
        .contains("function _stint_complete()")
        .endsWith("\n_bash_complete -F _stint_complete \"$@\"\n");
  }

  @Test
  void fishAsksTheServerOnlyOnTheCommandsThatTakeWhatItKnows() throws Exception {
    String fish = Files.readString(script("fish"));

    assertThat(fish)
        .contains("complete -c stint -f\n")
        .contains("complete -c stint -n '__fish_use_subcommand' -a 'credentials'")
        .contains(
            "complete -c stint -n '__fish_seen_subcommand_from access-review activity approve"
                + " cancel console credentials deny env extend findings lease request requests review"
                + " revoke"
                + " show;")
        .contains("complete -c stint -n '__fish_seen_subcommand_from revoke' -s y -l yes")
        .doesNotContain("__complete -a")
        .doesNotContain("-a '__complete'");
  }

  @Test
  void anUnknownShellIsAUsageError() {
    CliRun run = CliRun.run(home, Map.of(), "completion", "powershell");

    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
  }
}
