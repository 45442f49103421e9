package dev.stint.cli.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApproverHintTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void namesPeopleWithHowLongAgoAndCountsTheRest() throws Exception {
    String line =
        ApproverHint.text(
            JSON.readTree(
                """
        {"approvers": [
          {"issuer": "https://idp", "subject": "u1", "email": "dave@example.com",
           "seen_at": "2026-11-25T11:58:30Z"},
          {"issuer": "https://idp", "subject": "u2", "email": null,
           "seen_at": "2026-11-23T09:00:00Z"}],
         "total": 7, "seen_within_days": 30}"""),
            NOW);
    assertThat(line)
        .isEqualTo(
            "who can approve: dave@example.com (seen 1m ago)," + " u2 (seen 2d ago), and 5 more");
  }

  @Test
  void saysSoWhenNoOneCan() throws Exception {
    String line =
        ApproverHint.text(
            JSON.readTree("{\"approvers\": [], \"total\": 0, \"seen_within_days\": 30}"), NOW);
    assertThat(line).contains("no one stint has seen in the last 30 days");
  }

  @Test
  void namesTheOpenStageOfAnApprovalInStages() throws Exception {
    String line =
        ApproverHint.text(
            JSON.readTree(
                "{\"approvers\": [{\"subject\": \"u1\", \"email\": \"sec@example.com\","
                    + " \"seen_at\": \"2026-11-25T11:00:00Z\"}], \"total\": 1,"
                    + " \"stage\": \"security\"}"),
            NOW);
    assertThat(line).isEqualTo("who can approve in stage security: sec@example.com (seen 1h ago)");
    String single =
        ApproverHint.text(
            JSON.readTree("{\"approvers\": [], \"total\": 0, \"stage\": \"approval\"}"), NOW);
    assertThat(single).startsWith("who can approve: no one");
  }
}
