package dev.stint.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.CliRun;
import dev.stint.testing.FakeStintApi;
import dev.stint.testing.TestIdp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint report eligible}: every page of {@code GET /v1/reports/eligible} walked by its
 * cursor, as one table of who may do what, or as JSON Lines, a page a line.
 */
class EligibleReportCliTest {
  private static final TestIdp IDP = new TestIdp("corp");
  private static final String AUDREY = IDP.token("audrey", "auditors");

  private static final String FIRST =
      "{\"policy\":\"h1\",\"users\":[{\"id\":\"u1\",\"user_name\":\"alice@example.com\","
          + "\"basis\":\"claims\"}],\"profiles\":[{\"name\":\"prod\",\"requesters\":"
          + "[{\"user\":\"u1\",\"answer\":\"yes\"}],\"stages\":[{\"name\":\"lead\",\"count\":1,"
          + "\"approvers\":[]}]}],\"next_cursor\":\"u1\"}";
  private static final String SECOND =
      "{\"policy\":\"h1\",\"users\":[{\"id\":\"u2\",\"user_name\":\"bob@example.com\","
          + "\"basis\":\"directory\"}],\"profiles\":[{\"name\":\"prod\",\"requesters\":"
          + "[{\"user\":\"u2\",\"answer\":\"conditional\",\"facts\":[\"oncall(PABC123)\"]}],"
          + "\"stages\":[{\"name\":\"lead\",\"count\":1,\"approvers\":"
          + "[{\"user\":\"u2\",\"answer\":\"yes\"}]}]}],\"next_cursor\":null}";

  @TempDir Path home;
  private final FakeStintApi api =
      new FakeStintApi()
          .answer("/v1/reports/eligible?profile=prod", FIRST)
          .answer("/v1/reports/eligible?profile=prod&cursor=u1", SECOND);

  EligibleReportCliTest() throws Exception {}

  @AfterEach
  void stop() {
    api.close();
  }

  @AfterAll
  static void stopIdp() {
    IDP.close();
  }

  private CliRun run(String... args) {
    return CliRun.run(
        home, Map.of("STINT_SERVER", api.uri().toString(), "STINT_TOKEN", AUDREY), args);
  }

  @Test
  void everyPageIsReadIntoOneTable() {
    CliRun run = run("report", "eligible", "--profile", "prod");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(api.received())
        .extracting(FakeStintApi.Received::query)
        .containsExactly("profile=prod", "profile=prod&cursor=u1");
    assertThat(run.out())
        .containsPattern("prod +request +alice@example.com +claims +yes")
        .containsPattern("prod +request +bob@example.com +directory +on oncall\\(PABC123\\)")
        .containsPattern("prod +approve \\(stage lead\\) +bob@example.com +directory +yes");
  }

  @Test
  void jsonIsOnePageALine() {
    CliRun run = run("report", "eligible", "--profile", "prod", "-o", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(2).allMatch(l -> l.startsWith("{\"policy\":\"h1\""));
  }
}
