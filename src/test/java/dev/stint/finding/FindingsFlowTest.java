package dev.stint.finding;

import static dev.stint.finding.FindingsServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.finding.FindingsServer.Answer;
import dev.stint.finding.FindingsServer.Minted;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Findings through a real server ({@link FindingsServer}): a call pushed to {@code POST
 * /v1/ingest/cloudtrail} raises its finding within the allowed time; a live {@code end} ends
 * exactly the lease (or the grant) whose key made the call, proven by the IAM stand-in denying that
 * session and no other; a dry run changes nothing; findings are visible exactly as their request
 * is, and to auditors across everything, to nobody else.
 */
class FindingsFlowTest {
  /** What the check allows a pushed call's finding (the aim is within five seconds). */
  static final Duration RAISED_WITHIN = Duration.ofSeconds(20);

  /** How long a revocation's deny may take to reach the IAM stand-in. */
  static final Duration DENIED_WITHIN = Duration.ofSeconds(30);

  static FindingsServer s;

  @BeforeAll
  static void start() {
    s = new FindingsServer();
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
  }

  static JsonNode findingsOf(String user, String group, String request) {
    Answer a = s.get(user, group, "/v1/requests/" + request + "/findings");
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    return a.body().get("findings");
  }

  /** Waits until {@code request} has a finding whose action has been carried out. */
  static JsonNode actedOn(String user, String request) throws InterruptedException {
    eventually(
        () -> findingsOf(user, "eng", request).path(0).has("acted_at"),
        DENIED_WITHIN,
        "the finding of " + request + " acted on");
    return findingsOf(user, "eng", request).get(0);
  }

  @Test
  void aLeasesEscapeIsRaisedWithinSecondsOfItsPushAndEndsThatLeaseAndNothingElse()
      throws Exception {
    String request = s.grant("alice", "prod");
    Minted own = s.mint("alice", "prod");
    Map.Entry<String, Minted> lease = s.lease("alice", request);
    String other = s.grant("carol", "prod");
    Minted carols = s.mint("carol", "prod");

    Instant pushed = Instant.now();
    assertThat(s.push("escape", lease.getValue().accessKeyId())).isEqualTo(204);
    eventually(() -> findingsOf("alice", "eng", request).size() == 1, RAISED_WITHIN, "the finding");
    assertThat(Duration.between(pushed, Instant.now())).isLessThan(RAISED_WITHIN);

    JsonNode f = actedOn("alice", request);
    assertThat(f.get("rule").asText()).isEqualTo("escape");
    assertThat(f.get("severity").asText()).isEqualTo("high");
    assertThat(f.get("mode").asText()).isEqualTo("live");
    assertThat(f.get("action").asText()).isEqualTo("lease_ended");
    assertThat(f.get("lease_id").asText()).isEqualTo(lease.getKey());
    assertThat(f.get("events").get(0).get("event_name").asText()).isEqualTo("CreateAccessKey");
    Instant later = Instant.now().plusSeconds(1);
    eventually(
        () -> s.iam.denies("prod", lease.getValue().session(), later),
        DENIED_WITHIN,
        "the lease's session denied in IAM");
    assertThat(s.iam.denies("prod", own.session(), later)).as("the grant's own").isFalse();
    assertThat(s.iam.denies("prod", carols.session(), later)).as("carol's").isFalse();
    assertThat(s.get("alice", "eng", "/v1/leases/" + lease.getKey()).body().get("state").asText())
        .isEqualTo("revoked");
    assertThat(s.get("alice", "eng", "/v1/requests/" + request).body().get("state").asText())
        .isEqualTo("active");
    assertThat(s.get("carol", "eng", "/v1/requests/" + other).body().get("state").asText())
        .isEqualTo("active");
    assertThat(
            s.count(
                "SELECT count(*) FROM audit_events WHERE type = 'lease.revoked' AND"
                    + " details->>'finding_id' = '"
                    + f.get("id").asText()
                    + "' AND actor_subject = 'system'"))
        .isEqualTo(1);
    JsonNode ofLease = s.get("alice", "eng", "/v1/leases/" + lease.getKey() + "/findings").body();
    assertThat(ofLease.get("findings").get(0).get("id")).isEqualTo(f.get("id"));
  }

  @Test
  void aGrantsOwnEscapeRevokesThatGrantAndNoOther() throws Exception {
    String request = s.grant("dave", "prod");
    Minted daves = s.mint("dave", "prod");
    String other = s.grant("erin", "prod");
    Minted erins = s.mint("erin", "prod");

    assertThat(s.push("escape", daves.accessKeyId())).isEqualTo(204);

    JsonNode f = actedOn("dave", request);
    assertThat(f.get("action").asText()).isEqualTo("grant_revoked");
    assertThat(f.has("lease_id")).isFalse();
    Instant later = Instant.now().plusSeconds(1);
    eventually(
        () -> s.iam.denies("prod", daves.session(), later),
        DENIED_WITHIN,
        "dave's session denied in IAM");
    assertThat(s.iam.denies("prod", erins.session(), later)).isFalse();
    assertThat(s.get("dave", "eng", "/v1/requests/" + request).body().get("state").asText())
        .isEqualTo("revoked");
    assertThat(s.get("erin", "eng", "/v1/requests/" + other).body().get("state").asText())
        .isEqualTo("active");
    assertThat(
            s.count(
                "SELECT count(*) FROM audit_events WHERE type = 'grant.revoked' AND request_id = '"
                    + request
                    + "' AND details->>'by' = 'finding' AND reason LIKE 'finding "
                    + f.get("id").asText()
                    + " (escape)%'"))
        .isEqualTo(1);
  }

  @Test
  void aDryRunIsRecordedAndChangesNothing() throws Exception {
    String request = s.grant("fay", "trial");
    Minted fays = s.mint("fay", "trial");

    assertThat(s.push("escape", fays.accessKeyId())).isEqualTo(204);

    eventually(
        () ->
            s.count(
                    "SELECT count(*) FROM outbox WHERE listener = 'finding.act' AND state = 'done'"
                        + " AND request_id = '"
                        + request
                        + "'")
                == 1,
        RAISED_WITHIN,
        "what follows the finding delivered");
    JsonNode f = findingsOf("fay", "eng", request).get(0);
    assertThat(f.get("mode").asText()).isEqualTo("dry_run");
    assertThat(f.get("action").asText()).isEqualTo("none");
    assertThat(f.has("acted_at")).isFalse();
    assertThat(s.get("fay", "eng", "/v1/requests/" + request).body().get("state").asText())
        .isEqualTo("active");
    assertThat(s.iam.denies("prod", fays.session(), Instant.now().plusSeconds(1))).isFalse();
    assertThat(
            s.count(
                "SELECT count(*) FROM audit_events WHERE request_id = '"
                    + request
                    + "' AND type IN ('finding.raised', 'finding.acted')"))
        .as("raised, never acted")
        .isEqualTo(1);
  }

  @Test
  void findingsAreVisibleExactlyAsTheirRequestAndToAuditorsAcrossEverything() throws Exception {
    String request = s.grant("gus", "trial");
    Map.Entry<String, Minted> lease = s.lease("gus", request);
    assertThat(s.push("escape", lease.getValue().accessKeyId())).isEqualTo(204);
    eventually(() -> findingsOf("gus", "eng", request).size() == 1, RAISED_WITHIN, "the finding");
    String id = findingsOf("gus", "eng", request).get(0).get("id").asText();

    assertThat(findingsOf("bob", "sre", request)).as("an approver of the profile").hasSize(1);
    assertThat(s.get("hal", "eng", "/v1/requests/" + request + "/findings").status())
        .as("someone else")
        .isEqualTo(404);
    assertThat(s.get("hal", "eng", "/v1/leases/" + lease.getKey() + "/findings").status())
        .isEqualTo(404);
    assertThat(s.get("gus", "eng", "/v1/leases/" + lease.getKey() + "/findings").status())
        .isEqualTo(200);
    Answer all = s.get("ida", "audit", "/v1/findings?since=1h&rule=escape&severity=high");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.body().get("findings").findValuesAsText("id")).contains(id);
    assertThat(
            s.get("ida", "audit", "/v1/findings?since=1h&rule=new_region")
                .body()
                .get("findings")
                .findValuesAsText("id"))
        .doesNotContain(id);
    assertThat(s.get("gus", "eng", "/v1/findings").status()).isEqualTo(403);
    assertThat(s.get("ida", "audit", "/v1/findings?severity=extreme").status()).isEqualTo(400);
    assertThat(
            s.count(
                "SELECT count(*) FROM audit_events WHERE type = 'finding.refused'"
                    + " AND actor_subject = 'hal' AND details->>'request_id' = '"
                    + request
                    + "'"))
        .isEqualTo(1);
    assertThat(
            s.count(
                "SELECT count(*) FROM audit_events WHERE type = 'finding.refused'"
                    + " AND actor_subject = 'gus' AND details->>'action' = 'list'"))
        .isEqualTo(1);
  }

  @Test
  void aNonAuditorIsRefusedAndRecordedBeforeTheirQueryIsReadAndLearnsNothingOfTheRules() {
    Answer refused = s.get("jon", "eng", "/v1/findings?severity=extreme&rule=nope&since=soon");

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().toString()).doesNotContain("escape", "new_region");
    assertThat(
            s.count(
                "SELECT count(*) FROM audit_events WHERE type = 'finding.refused'"
                    + " AND actor_subject = 'jon' AND details->>'action' = 'list'"))
        .isEqualTo(1);
    assertThat(s.get("ida", "audit", "/v1/findings?rule=nope").status())
        .as("an auditor's bad query")
        .isEqualTo(400);
  }

  @Test
  void aMalformedRecordIsRefusedAndACallOfAKeyStintNeverIssuedIsCountedAndNeitherIsJudged() {
    long kept = s.count("SELECT count(*) FROM activity_events");
    double unmatched = unmatched();

    assertThat(s.pushBody("{\"detail\": {\"eventID\": \"no-time\"}}")).isEqualTo(400);
    assertThat(s.push("escape", "ASIANOTSTINTS0000001")).isEqualTo(204);

    assertThat(s.count("SELECT count(*) FROM activity_events")).isEqualTo(kept);
    assertThat(s.count("SELECT count(*) FROM finding_queue")).isZero();
    assertThat(unmatched()).isEqualTo(unmatched + 1);
  }

  static double unmatched() {
    return s.server
        .server()
        .meters()
        .get("stint_activity_ingest_unmatched_calls")
        .functionCounter()
        .count();
  }
}
