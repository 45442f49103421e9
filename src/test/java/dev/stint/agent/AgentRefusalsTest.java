package dev.stint.agent;

import static dev.stint.agent.AgentServer.JSON;
import static dev.stint.agent.AgentServer.ask;
import static dev.stint.agent.AgentServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.agent.AgentServer.Answer;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each ask refused with a clear error, nothing filed and nothing sent to STS, and the refusal
 * recorded; an agent that expired or was revoked is refused as no agent at all; asking past the
 * pace is answered 429 with Retry-After.
 */
class AgentRefusalsTest {
  static AgentServer s;
  static String token;
  static String agentId;

  @BeforeAll
  static void start() {
    s = new AgentServer();
    s.grant("ann", "s3-read", "team-a");
    s.grant("ann", "other", null);
    Answer enrolled = s.enroll("ann", "coder", List.of("s3-read", "no-such"), null);
    assertThat(enrolled.status()).isEqualTo(400);
    enrolled = s.enroll("ann", "coder", List.of("s3-read"), null);
    token = enrolled.text("agent_token");
    agentId = enrolled.text("id");
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
  }

  /** The ask is refused with {@code status} and {@code detail}; nothing filed, nothing minted. */
  static void refused(String agentToken, ObjectNode asked, int status, String detail) {
    int calls = s.sts.assumeCalls().size();
    long leases = s.count("SELECT count(*) FROM leases");
    long requests = s.count("SELECT count(*) FROM access_requests");

    Answer answer = s.post(agentToken, "/v1/agent/leases", asked);

    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
    assertThat(answer.detail()).contains(detail);
    assertThat(s.count("SELECT count(*) FROM leases")).isEqualTo(leases);
    assertThat(s.count("SELECT count(*) FROM access_requests")).isEqualTo(requests);
    assertThat(s.sts.assumeCalls()).hasSize(calls);
  }

  long refusals(String type) {
    return s.count("SELECT count(*) FROM audit_events WHERE type = '" + type + "'");
  }

  @Test
  void anUnknownProfile() {
    long before = refusals("agent.refused");
    refused(token, ask("nope", "read", 600), 400, "unknown profile 'nope'");
    assertThat(refusals("agent.refused")).isEqualTo(before + 1);
  }

  @Test
  void aProfileOutsideTheEnrollment() {
    refused(token, ask("other", "read", 600), 403, "is not enrolled for profile 'other'");
  }

  @Test
  void parametersTheProfileRefuses() {
    ObjectNode asked = ask("s3-read", "read", 600);
    asked.putObject("parameters").put("bucket", "NOT A BUCKET");
    long before = refusals("lease.refused");
    refused(token, asked, 400, "bucket");
    assertThat(refusals("lease.refused")).isEqualTo(before + 1);
  }

  @Test
  void parametersWiderThanTheGrant() {
    ObjectNode asked = ask("s3-read", "read", 600);
    asked.putObject("parameters").put("bucket", "team-z");
    refused(token, asked, 403, "not within its grant's");
  }

  @Test
  void aPolicyWiderThanTheGrantNamesTheStatement() throws IOException {
    ObjectNode asked = ask("s3-read", "read", 600);
    asked.set(
        "session_policy",
        JSON.readTree(
            "[{\"Sid\": \"Write\", \"Effect\": \"Allow\", \"Action\": \"s3:PutObject\","
                + " \"Resource\": \"arn:aws:s3:::team-a/*\"}]"));
    refused(token, asked, 403, "statement 1 (Write)");
  }

  @Test
  void aDurationPastTheProfiles() {
    refused(token, ask("s3-read", "read", 7200), 400, "at most 60 minutes");
  }

  @Test
  void aTaskThatLooksLikeASecret() {
    refused(
        token,
        ask("s3-read", "use key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY to read", 600),
        400,
        "the task holds an AWS-secret-key-shaped value");
    refused(token, ask("s3-read", "", 600), 400, "the task is one line");
    assertThat(
            s.count(
                "SELECT count(*) FROM audit_events WHERE strpos(reason, 'wJalrXUtnFEMI') > 0"
                    + " OR strpos(details::text, 'wJalrXUtnFEMI') > 0"))
        .isZero();
  }

  @Test
  void anExpiredAgent() throws Exception {
    Answer enrolled = s.enroll("ann", "brief", List.of("s3-read"), 1L);
    Instant end = Instant.parse(enrolled.text("expires_at"));
    eventually(() -> Instant.now().isAfter(end.plusMillis(50)), "the agent's end");
    refused(enrolled.text("agent_token"), ask("s3-read", "read", 600), 401, "expired");
  }

  @Test
  void aRevokedAgent() {
    Answer enrolled = s.enroll("ann", "gone", List.of("s3-read"), null);
    s.post(
        s.person("ann"), "/v1/agents/" + enrolled.text("id") + "/revoke", JSON.createObjectNode());
    refused(enrolled.text("agent_token"), ask("s3-read", "read", 600), 401, "revoked");
  }

  @Test
  void aForgedToken() {
    // One character changed, to one it is not: "AA" in place of the last two was the token itself
    // whenever the token happened to end in them.
    char last = token.charAt(token.length() - 1);
    String forged = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    refused(forged, ask("s3-read", "read", 600), 401, "");
    assertThat(
            s.count(
                "SELECT count(*) FROM audit_events WHERE actor_issuer = 'urn:stint:agent'"
                    + " AND actor_subject = 'unverified' AND type = 'agent.refused'"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void askingPastThePaceIsAnswered429WithRetryAfter() {
    String paced = s.enroll("ann", "looper", List.of("s3-read"), null).text("agent_token");
    for (int i = 0; i < AskPace.LIMIT; i++) {
      assertThat(s.post(paced, "/v1/agent/leases", ask("nope", "read", 600)).status())
          .isEqualTo(400);
    }

    Answer answer = s.post(paced, "/v1/agent/leases", ask("s3-read", "read", 600));

    assertThat(answer.status()).isEqualTo(429);
    assertThat(answer.raw().headers().firstValue("Retry-After")).isPresent();
    assertThat(answer.detail()).contains("ask again later");
    assertThat(
            s.count(
                "SELECT count(*) FROM audit_events WHERE type = 'agent.refused'"
                    + " AND outcome = 'paced'"))
        .isEqualTo(1);
  }
}
