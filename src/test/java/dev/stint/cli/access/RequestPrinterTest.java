package dev.stint.cli.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
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
}
