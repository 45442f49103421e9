package dev.stint.cli.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cli.ServerOptions.OutputFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ENDS column: how long an active grant has left, so people see the end coming. */
class RequestPrinterTest {
  @ParameterizedTest(name = "{0} at {1}: {2}")
  @CsvSource({
    "active, 2026-11-23T09:52:00Z, 2026-11-23T10:00:00Z (in 8m)",
    "active, 2026-11-23T09:59:30Z, 2026-11-23T10:00:00Z (in 30s)",
    "active, 2026-11-23T07:30:00Z, 2026-11-23T10:00:00Z (in 2h30m)",
    "expired, 2026-11-23T10:05:00Z, 2026-11-23T10:00:00Z",
    "scheduled, 2026-11-23T08:00:00Z, 2026-11-23T10:00:00Z",
    "revoked, 2026-11-23T09:52:00Z, 2026-11-23T10:00:00Z"
  })
  void endsShowsTheTimeLeftOfActiveGrants(String state, String now, String expected)
      throws Exception {
    var grant = new ObjectMapper().readTree("{\"ends_at\": \"2026-11-23T10:00:00Z\"}");
    assertThat(RequestPrinter.ends(grant, state, Instant.parse(now))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "one stage | {\"approvals_required\": 2, \"approvals\": [{\"decision\": \"approve\"}],"
            + " \"stages\": [{\"name\": \"approval\", \"count\": 2, \"votes\": 1,"
            + " \"state\": \"open\"}]} | 1/2",
        "in stages | {\"approvals_required\": 3, \"approvals\": [{\"decision\": \"approve\"}],"
            + " \"stages\": [{\"name\": \"lead\", \"count\": 1, \"votes\": 1, \"state\":"
            + " \"approved\"}, {\"name\": \"security\", \"count\": 2, \"votes\": 0, \"state\":"
            + " \"open\"}]} | 1/3 (security 0/2)",
        "decided | {\"approvals_required\": 1, \"approvals\": [{\"decision\": \"approve\"}],"
            + " \"stages\": [{\"name\": \"lead\", \"count\": 1, \"votes\": 1, \"state\":"
            + " \"approved\"}]} | 1/1"
      })
  void approvalsNameTheOpenStage(String name, String request, String expected) throws Exception {
    assertThat(RequestPrinter.approvals(new ObjectMapper().readTree(request))).isEqualTo(expected);
  }

  /**
   * A narrowed request shows its approver the values and the whole policy they fill, indented under
   * the table, with its SHA-256; a request without parameters shows neither.
   */
  @Test
  void aNarrowedRequestPrintsItsValuesAndThePolicyItGrants() throws Exception {
    String narrowed =
        "{\"id\": \"req_abc\", \"profile\": \"s3-read\", \"state\": \"pending\","
            + " \"requester\": {\"email\": \"alice@example.com\"}, \"duration_seconds\": 1800,"
            + " \"approvals_required\": 1, \"approvals\": [], \"reason\": \"INC-54\","
            + " \"parameters\": {\"bucket\": \"team-a\", \"prefix\": \"2026\"},"
            + " \"narrowed_policy\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\","
            + " \"Resource\": \"arn:aws:s3:::team-a/2026/*\"}],"
            + " \"narrowed_policy_sha256\": \"9f86d081\"}";
    String plain =
        narrowed
            .replaceAll("\"parameters\".*", "\"parameters\": {}, \"narrowed_policy\": null}")
            .replace("req_abc", "req_def");

    String out = printed("[" + narrowed + ", " + plain + "]");

    assertThat(out)
        .contains(
            "req_abc narrows s3-read to bucket=team-a, prefix=2026\n"
                + "  policy it grants (sha256 9f86d081):\n"
                + "    [ {\n"
                + "      \"Effect\" : \"Allow\",\n"
                + "      \"Action\" : \"s3:GetObject\",\n"
                + "      \"Resource\" : \"arn:aws:s3:::team-a/2026/*\"\n"
                + "    } ]\n");
    assertThat(out).contains("req_def").doesNotContain("req_def narrows");
  }

  /**
   * A revoked grant's ENDS is when it really ended, its revocation, marked so; not the planned end,
   * which the trial read as a grant still running until then.
   */
  @Test
  void aRevokedGrantEndsAtItsRevocationInTheTable() throws Exception {
    String revoked =
        "{\"id\": \"req_rv\", \"profile\": \"aws-prod\", \"state\": \"revoked\","
            + " \"requester\": {\"email\": \"alice@example.com\"}, \"duration_seconds\": 7200,"
            + " \"approvals_required\": 1, \"approvals\": [], \"reason\": \"INC-7\","
            + " \"grant\": {\"id\": \"grt_rv\", \"starts_at\": \"2026-11-23T08:00:00Z\","
            + " \"ends_at\": \"2026-11-23T10:00:00Z\", \"ended_at\": \"2026-11-23T08:40:00Z\","
            + " \"revoked_at\": \"2026-11-23T08:40:00Z\"}}";

    String out = printed("[" + revoked + "]");

    assertThat(out).contains("2026-11-23T08:40:00Z (revoked)").doesNotContain("10:00:00Z");
    var olderServer =
        new ObjectMapper()
            .readTree(
                "{\"ends_at\": \"2026-11-23T10:00:00Z\", \"revoked_at\": \"2026-11-23T08:40:00Z\"}");
    assertThat(RequestPrinter.ends(olderServer, "revoked", Instant.parse("2026-11-23T09:00:00Z")))
        .as("a server that sends no ended_at: its revoked_at")
        .isEqualTo("2026-11-23T08:40:00Z (revoked)");
  }

  private static String printed(String requests) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RequestPrinter.print(
        new PrintStream(bytes, true, StandardCharsets.UTF_8),
        OutputFormat.TABLE,
        new ObjectMapper().readTree(requests),
        Instant.parse("2026-11-23T10:00:00Z"));
    return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }
}
