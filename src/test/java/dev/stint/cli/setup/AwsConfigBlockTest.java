package dev.stint.cli.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AwsConfigBlockTest {
  private static final List<String> BLOCK =
      AwsConfigBlock.render(
          "https://stint.example.com",
          List.of(
              new AwsConfigBlock.Entry(
                  "prod",
                  "/usr/bin/stint credentials prod --server https://stint.example.com",
                  Optional.of("eu-west-1"))));

  @Test
  void rendersOneSectionPerProfileBetweenTheMarkers() {
    assertThat(BLOCK)
        .containsExactly(
            "# >>> stint managed profiles",
            "# Written by `stint setup aws` for https://stint.example.com; running it again replaces",
            "# everything up to the closing marker. Put your own profiles outside this block.",
            "",
            "[profile prod]",
            "credential_process = /usr/bin/stint credentials prod --server https://stint.example.com",
            "region = eu-west-1",
            "# <<< stint managed profiles");
  }

  @Test
  void keepsCrlfLineEndingsAndEverythingAroundTheBlock() {
    String before =
        "[default]\r\nregion = us-east-1\r\n\r\n# >>> stint managed profiles\r\nold\r\n"
            + "# <<< stint managed profiles\r\n[profile mine]\r\nregion = x";

    String after =
        AwsConfigBlock.apply(
                before,
                List.of("# >>> stint managed profiles", "new", "# <<< stint managed profiles"),
                List.of("prod"))
            .after();

    assertThat(after)
        .isEqualTo(
            "[default]\r\nregion = us-east-1\r\n\r\n# >>> stint managed profiles\r\n"
                + "new\r\n# <<< stint managed profiles\r\n[profile mine]\r\nregion = x");
  }

  @Test
  void appendsToAFileWithoutAFinalNewline() {
    assertThat(AwsConfigBlock.apply("[default]", List.of("a", "b"), List.of()).after())
        .isEqualTo("[default]\n\na\nb\n");
    assertThat(AwsConfigBlock.apply("", List.of("a", "b"), List.of()).after()).isEqualTo("a\nb\n");
  }

  /** Each config that cannot be edited safely, with the reason given. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[profile prod]\\nregion = x\\n | profile prod is already defined outside stint's block (line 1)",
        "[prod]\\n | profile prod is already defined outside stint's block (line 1)",
        "# >>> stint managed profiles\\n[profile a]\\n | never closes it",
        "# <<< stint managed profiles\\n | without its opening marker",
        "# >>> stint managed profiles\\n# <<< stint managed profiles\\n# <<< stint managed profiles\\n"
            + " | line 3) without its opening marker",
        "# >>> stint managed profiles\\n# >>> stint managed profiles\\n | two '# >>> stint managed profiles' lines"
      })
  void refusesWhatItCannotEditSafely(String config, String reason) {
    assertThatThrownBy(
            () -> AwsConfigBlock.apply(config.replace("\\n", "\n"), BLOCK, List.of("prod")))
        .isInstanceOf(AwsConfigBlock.Refused.class)
        .hasMessageContaining(reason);
  }

  @Test
  void aSameNamedProfileInsideTheBlockIsReplacedNotRefused() {
    String before = String.join("\n", BLOCK) + "\n";

    AwsConfigBlock.Change change = AwsConfigBlock.apply(before, BLOCK, List.of("prod"));

    assertThat(change.changed()).isFalse();
  }

  @Test
  void diffMarksRemovedAddedAndKeptLines() {
    assertThat(AwsConfigBlock.diff(List.of("a", "b", "c"), List.of("a", "c", "d")))
        .containsExactly("  a", "- b", "  c", "+ d");
    assertThat(AwsConfigBlock.diff(List.of(), List.of("x"))).containsExactly("+ x");
  }

  private static final AwsConfigBlock.Markers OTHER =
      new AwsConfigBlock.Markers("# >>> other", "# <<< other", "stint other", "pick another");

  @Test
  void anotherBlockReadsBackTheEntriesItWroteAndLeavesSetupsBlockAlone() {
    List<AwsConfigBlock.Entry> entries =
        List.of(
            new AwsConfigBlock.Entry(
                "a", "/bin/stint credentials --lease-file /x", Optional.empty()),
            new AwsConfigBlock.Entry("b", "/bin/stint credentials x", Optional.of("eu-west-1")));
    String setup = AwsConfigBlock.apply("[default]\n", BLOCK, List.of("prod")).after();

    String both =
        AwsConfigBlock.apply(
                setup, AwsConfigBlock.render(OTHER, List.of("# mine"), entries), List.of(), OTHER)
            .after();

    assertThat(both).startsWith(setup).endsWith("# <<< other\n");
    assertThat(AwsConfigBlock.entries(both, OTHER)).isEqualTo(entries);
    assertThat(AwsConfigBlock.entries(setup, OTHER)).isEmpty();
    assertThat(AwsConfigBlock.apply(both, BLOCK, List.of("prod")).changed()).isFalse();
  }

  @Test
  void anotherBlocksRefusalsNameItsOwnCommand() {
    assertThatThrownBy(() -> AwsConfigBlock.entries("# >>> other\n[profile a]\n", OTHER))
        .hasMessageContaining(
            "never closes it with '# <<< other'; fix the block by hand, then run stint other again");
    assertThatThrownBy(
            () ->
                AwsConfigBlock.apply(
                    "[profile a]\n", List.of("# >>> other", "# <<< other"), List.of("a"), OTHER))
        .hasMessageContaining(
            "profile a is already defined outside stint's block (line 1); rename or remove it, or pick another");
  }
}
