package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code stint revoke} asks first, as the page does: on a terminal it names the request, its
 * profile and its holder; {@code --yes} skips the question; with no one to ask and no {@code --yes}
 * it refuses before the server hears anything.
 */
class RevokeConfirmationTest {
  private static final String QUESTION =
      "Revoke req_1 (profile aws-prod-admin, held by alice@example.com)? [y/N] ";

  /**
   * A keyboard that types {@code answer}, or no keyboard at all, and remembers what it was asked.
   */
  private static final class Keyboard implements Prompter {
    private final Optional<String> answer;
    final List<String> asked = new ArrayList<>();

    Keyboard(Optional<String> answer) {
      this.answer = answer;
    }

    @Override
    public boolean canAsk() {
      return answer.isPresent();
    }

    @Override
    public Optional<String> ask(String question) {
      asked.add(question);
      return answer;
    }
  }

  @TempDir Path home;
  private FakeStintApi api;

  @BeforeEach
  void start() throws Exception {
    api = new FakeStintApi();
    api.answer(
        "/v1/requests/req_1",
        "{\"id\":\"req_1\",\"profile\":\"aws-prod-admin\",\"state\":\"active\","
            + "\"requester\":{\"issuer\":\"corp\",\"subject\":\"alice\","
            + "\"email\":\"alice@example.com\"},\"approvals_required\":1,\"approvals\":[]}");
    api.answer(
        "/v1/requests/req_1/revoke",
        "{\"id\":\"req_1\",\"state\":\"revoked\",\"approvals_required\":1,\"approvals\":[]}");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Map<String, String> env() {
    return Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", "a.b.c");
  }

  private List<String> paths() {
    return api.received().stream().map(FakeStintApi.Received::path).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"y", "Y", "yes", " YES "})
  void aYesOnTheTerminalRevokes(String typed) {
    Keyboard keyboard = new Keyboard(Optional.of(typed));

    CliRun run = CliRun.run(home, env(), keyboard, "revoke", "req_1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(keyboard.asked).containsExactly(QUESTION);
    assertThat(run.out()).startsWith("revoked req_1: now revoked");
    assertThat(paths()).containsExactly("/v1/requests/req_1", "/v1/requests/req_1/revoke");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "n", "no", "yep", "revoke"})
  void anythingElseRevokesNothing(String typed) {
    Keyboard keyboard = new Keyboard(Optional.of(typed));

    CliRun run = CliRun.run(home, env(), keyboard, "revoke", "req_1");

    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(keyboard.asked).containsExactly(QUESTION);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("stint: nothing revoked\n");
    assertThat(paths()).containsExactly("/v1/requests/req_1");
  }

  @Test
  void withoutATerminalOrYesItRefusesNamingYesAndAsksTheServerNothing() {
    Keyboard none = new Keyboard(Optional.empty());

    CliRun run = CliRun.run(home, env(), none, "revoke", "req_1");

    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(run.err())
        .contains("no terminal to ask on")
        .contains("stint revoke req_1 --yes")
        .endsWith("\n");
    assertThat(run.out()).isEmpty();
    assertThat(none.asked).isEmpty();
    assertThat(api.received()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"--yes", "-y"})
  void yesRevokesWithoutAskingEvenWithoutATerminal(String flag) {
    Keyboard none = new Keyboard(Optional.empty());

    CliRun run = CliRun.run(home, env(), none, "revoke", "req_1", flag);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(none.asked).isEmpty();
    assertThat(paths()).containsExactly("/v1/requests/req_1/revoke");
  }

  @Test
  void onlyRevokeTakesYes() {
    Keyboard none = new Keyboard(Optional.empty());

    CliRun run = CliRun.run(home, env(), none, "approve", "req_1", "--yes");

    assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(run.err()).contains("--yes");
    assertThat(api.received()).isEmpty();
  }
}
