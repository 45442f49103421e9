package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ActivityRows;
import dev.stint.testing.CliRun;
import dev.stint.testing.ShiftedClock;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stint activity REQ} and {@code stint report unused} against a running server. One grant
 * made 150 calls (two pages), another none; both have ended. The credential and its calls are
 * written into the test database (ActivityRows), not looked up in a CloudTrail stand-in.
 */
class CliActivityIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "ASIACLIACTIVITY00001";
  static ShiftedClock clock;
  static TestIdp idp;
  static TestServer server;
  static String busy;
  static String idle;
  @TempDir Path home;

  @BeforeAll
  static void start() throws Exception {
    clock = new ShiftedClock();
    DatabaseUrl database = TestPostgres.migratedDatabase();
    idp = new TestIdp("corp");
    server =
        TestServer.start(
            database,
            Map.of(),
            "issuers:\n"
                + idp.issuerYaml("corp")
                + "profiles:\n"
                + "  quick:\n"
                + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\","
                + " mode: assume_role}\n"
                + "    max_duration: 1h\n"
                + "    requesters: 'true'\n"
                + "    approval: {count: 1, approvers: 'false', auto_approve: 'true'}\n"
                + "auditors: 'principal.groups.exists(g, g == \"security\")'\n",
            clock);
    busy = request();
    idle = request();
    ActivityRows.credential(database, busy, KEY, clock.instant().plus(Duration.ofMinutes(30)));
    ActivityRows.calls(database, KEY, 150, Instant.parse("2026-11-20T10:00:00Z"));
    clock.advance(Duration.ofHours(1));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  static String request() throws Exception {
    CliRun r =
        CliRun.run(
            Path.of(System.getProperty("java.io.tmpdir")),
            Map.of(
                "STINT_SERVER",
                server.uri("/").toString(),
                "STINT_TOKEN",
                idp.dayToken("alice", "eng")),
            "request",
            "quick",
            "--duration",
            "15m",
            "--reason",
            "INC-39",
            "-o",
            "json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    return JSON.readTree(r.out()).path("id").asText();
  }

  CliRun as(String user, String group, String... args) {
    return CliRun.run(
        home,
        Map.of(
            "STINT_SERVER", server.uri("/").toString(), "STINT_TOKEN", idp.dayToken(user, group)),
        args);
  }

  @Test
  void activityPrintsTheSummaryAndTheNewestCalls() {
    CliRun table = as("alice", "eng", "activity", busy);
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out())
        .startsWith(
            busy + ": 150 calls, 1 errors, first 2026-11-20T10:01:00Z, last 2026-11-20T12:30:00Z\n")
        .contains("last looked up: ")
        .containsPattern("s3.amazonaws.com +100\n")
        .containsPattern("iam.amazonaws.com +50\n")
        .containsPattern("TIME +SERVICE +CALL +REGION +KEY +SOURCE IP +ERROR\n")
        .containsPattern(
            "2026-11-20T12:30:00Z +iam.amazonaws.com +GetRole +eu-west-1 +"
                + KEY
                + " +198.51.100.7 +AccessDenied\n")
        .containsPattern("2026-11-20T12:29:00Z +s3.amazonaws.com +GetObject .* -\n")
        .doesNotContain("2026-11-20T10:50:00Z")
        .endsWith("newest calls only: --all prints every call\n");
    assertThat(table.out().indexOf("12:30:00Z +iam")).isLessThan(table.out().indexOf("12:29:00Z"));
    CliRun none = as("alice", "eng", "activity", idle);
    assertThat(none.out())
        .isEqualTo(
            idle
                + ": not used (no call seen, and every call its credentials could make would be)\n"
                + "last looked up: not yet\n"
                + "visible: no credential was handed out\n");
  }

  @Test
  void allFollowsTheCursorToTheOldestCall() throws Exception {
    JsonNode page = JSON.readTree(as("alice", "eng", "activity", busy, "-o", "json").out());
    assertThat(page.path("events")).hasSize(100);
    assertThat(page.path("next_cursor").isTextual()).isTrue();
    assertThat(page.path("summary").path("calls").asLong()).isEqualTo(150);
    CliRun run = as("alice", "eng", "activity", busy, "--all", "-o", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode all = JSON.readTree(run.out());
    assertThat(all.path("events")).hasSize(150);
    assertThat(all.has("next_cursor")).isFalse();
    Set<String> times = new HashSet<>();
    all.path("events").forEach(e -> times.add(e.path("time").asText()));
    assertThat(times).hasSize(150);
    assertThat(all.path("events").get(149).path("time").asText()).isEqualTo("2026-11-20T10:01:00Z");
    assertThat(as("alice", "eng", "activity", busy, "--all").out())
        .contains("2026-11-20T10:01:00Z")
        .doesNotContain("--all prints");
  }

  @Test
  void activityIsRefusedToThoseWhoMayNotSeeTheRequestAndForAnythingButARequestId() {
    CliRun mallory = as("mallory", "eng", "activity", busy);
    assertThat(mallory.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(mallory.err()).contains("no request " + busy);
    assertThat(mallory.out()).isEmpty();
    CliRun bogus = as("alice", "eng", "activity", "../audit");
    assertThat(bogus.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(bogus.err()).contains("'../audit' is not a request id");
  }

  @Test
  void reportUnusedListsTheIdleGrantForAuditorsOnly() throws Exception {
    CliRun table = as("sam", "security", "report", "unused", "--since", "2h");
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out())
        .containsPattern(
            "REQUEST +PROFILE +REQUESTER +APPROVED +ENDED +CREDENTIALS +CALLS +WHY +SETTLED\n")
        .containsPattern(idle + " +quick +alice@example.com .* 0 +0 +no credential +yes\n")
        .doesNotContain(busy);
    JsonNode json = JSON.readTree(as("sam", "security", "report", "unused", "-o", "json").out());
    assertThat(json.path("grants")).hasSize(1);
    assertThat(json.path("grants").get(0).path("request_id").asText()).isEqualTo(idle);
    CliRun future =
        as("sam", "security", "report", "unused", "--since", clock.instant().plusSeconds(60) + "");
    assertThat(future.out()).startsWith("no unused grant ended since ");

    CliRun alice = as("alice", "eng", "report", "unused");
    assertThat(alice.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(alice.err()).contains("forbidden");
    assertThat(alice.out()).isEmpty();
    CliRun bad = as("sam", "security", "report", "unused", "--since", "yesterday");
    assertThat(bad.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(bad.err()).contains("since must be an ISO-8601 time");
  }
}
