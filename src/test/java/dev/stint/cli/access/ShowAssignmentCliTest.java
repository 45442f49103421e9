package dev.stint.cli.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint show} says how far an IAM Identity Center grant's account assignment has come (its
 * {@code grant.assignment.state}), says nothing of one for a grant that has none, and prints what
 * the server sent only as text.
 */
class ShowAssignmentCliTest {
  private static final String ID = "req_abc";
  @TempDir Path home;
  private FakeStintApi api;

  @BeforeEach
  void start() throws IOException {
    api = new FakeStintApi();
    api.answer("/v1/requests/" + ID + "/credentials", "{\"credentials\":[]}");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private CliRun show(String grant) {
    api.answer(
        "/v1/requests/" + ID,
        "{\"id\":\""
            + ID
            + "\",\"profile\":\"demo-portal\",\"state\":\"approved\",\"duration_seconds\":1800,"
            + "\"reason\":\"audit\",\"grant\":"
            + grant
            + "}");
    return CliRun.run(
        home, Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", "t"), "show", ID);
  }

  @Test
  void anIdentityCenterGrantShowsItsAssignmentsState() {
    CliRun run =
        show("{\"ends_at\":\"2026-11-29T12:00:00Z\",\"assignment\":{\"state\":\"created\"}}");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("assignment: created (IAM Identity Center account assignment)");
  }

  @Test
  void aGrantWithoutAnAssignmentShowsNone() {
    CliRun run = show("{\"ends_at\":\"2026-11-29T12:00:00Z\"}");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).doesNotContain("assignment:");
  }

  @Test
  void aStateWithControlCharactersIsPrintedWithoutThem() {
    CliRun run =
        show(
            "{\"ends_at\":\"2026-11-29T12:00:00Z\",\"assignment\":{\"state\":\"created\\u001b[2J\"}}");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("assignment: created").doesNotContain("\u001b");
  }
}
