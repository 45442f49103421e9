package dev.stint.lease;

import static dev.stint.lease.LeaseFlowTest.JSON;
import static dev.stint.lease.LeaseFlowTest.createLease;
import static dev.stint.lease.LeaseFlowTest.credentials;
import static dev.stint.lease.LeaseFlowTest.db;
import static dev.stint.lease.LeaseFlowTest.eventually;
import static dev.stint.lease.LeaseFlowTest.grant;
import static dev.stint.lease.LeaseFlowTest.idp;
import static dev.stint.lease.LeaseFlowTest.lease;
import static dev.stint.lease.LeaseFlowTest.mintOnLease;
import static dev.stint.lease.LeaseFlowTest.post;
import static dev.stint.lease.LeaseFlowTest.send;
import static dev.stint.lease.LeaseFlowTest.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.lease.LeaseFlowTest.Answer;
import dev.stint.testing.ActivityRows;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A lease's calls, on LeaseFlowTest's server: a grant's own credential and a lease's each made
 * calls (written into {@code activity_events} as the activity tests write them, the lookups marked
 * settled so the server's rounds leave them alone); {@code GET /v1/leases/{id}/activity} lists the
 * lease's alone, the request's activity both, and once the grant has ended and settled, {@code
 * lease.activity} records the lease's own counts.
 */
class LeaseActivityTest {
  @BeforeAll
  static void start() {
    LeaseFlowTest.start();
  }

  @AfterAll
  static void stop() throws Exception {
    LeaseFlowTest.stop();
  }

  private static String key(String credentialId) {
    return strings("SELECT access_key_id FROM credentials WHERE id = '" + credentialId + "'")
        .get(0);
  }

  private static void settled(String request) throws Exception {
    AuditTables.execute(
        TestPostgres.asSuperuser(db),
        "UPDATE activity_lookups SET checked_at = now(), settled_at = now() WHERE request_id = '"
            + request
            + "'");
  }

  private static List<String> credentialIds(JsonNode activity) {
    List<String> out = new ArrayList<>();
    activity.get("events").forEach(e -> out.add(e.get("credential_id").asText()));
    return out;
  }

  @Test
  void aLeasesActivityListsOnlyTheCallsOfItsOwnCredentials() throws Exception {
    String request = grant("ada", "team-act");
    Answer own = post(idp.token("ada", "eng"), "/v1/credentials", credentials("team-act"));
    assertThat(own.status()).as(own.body().toString()).isEqualTo(200);
    String grantCredential = own.body().get("credential_id").asText();
    Answer created = createLease("ada", request, lease("list the bucket", 900));
    String leaseId = created.body().get("id").asText();
    Answer minted = mintOnLease(created.body().get("lease_token").asText(), leaseId);
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
    String leaseCredential = minted.body().get("credential_id").asText();
    settled(request);
    ActivityRows.calls(db, key(grantCredential), 5, Instant.parse("2026-11-20T10:00:00Z"));
    ActivityRows.calls(db, key(leaseCredential), 3, Instant.parse("2026-11-20T11:00:00Z"));

    Answer ofLease =
        send(idp.token("ada", "eng"), "GET", "/v1/leases/" + leaseId + "/activity", "");
    Answer ofRequest =
        send(idp.token("ada", "eng"), "GET", "/v1/requests/" + request + "/activity", "");
    Answer byApprover =
        send(idp.token("bob", "sre"), "GET", "/v1/leases/" + leaseId + "/activity", "");
    Answer byStranger =
        send(idp.token("eve", "eng"), "GET", "/v1/leases/" + leaseId + "/activity", "");
    Answer unknown =
        send(idp.token("ada", "eng"), "GET", "/v1/leases/lse_nosuchlease/activity", "");
    Answer badCursor =
        send(
            idp.token("ada", "eng"),
            "GET",
            "/v1/leases/" + leaseId + "/activity?cursor=made-up",
            "");

    assertThat(ofLease.status()).as(ofLease.body().toString()).isEqualTo(200);
    assertThat(ofLease.body().get("lease_id").asText()).isEqualTo(leaseId);
    assertThat(ofLease.body().get("state").asText()).isEqualTo("active");
    assertThat(ofLease.body().get("settled").asBoolean())
        .as("a live lease can still mint")
        .isFalse();
    assertThat(credentialIds(ofLease.body())).hasSize(3).containsOnly(leaseCredential);
    JsonNode summary = ofLease.body().get("summary");
    assertThat(summary.get("calls").asLong()).isEqualTo(3);
    assertThat(summary.get("errors").asLong()).isEqualTo(1);
    assertThat(summary.get("first_at").asText()).isEqualTo("2026-11-20T11:01:00Z");
    assertThat(summary.get("last_at").asText()).isEqualTo("2026-11-20T11:03:00Z");
    assertThat(ofLease.body().get("sources").get(0).get("name").asText())
        .isEqualTo("cloudtrail_lookup");
    assertThat(credentialIds(ofRequest.body()))
        .hasSize(8)
        .containsOnly(leaseCredential, grantCredential);
    assertThat(ofRequest.body().get("summary").get("calls").asLong()).isEqualTo(8);
    assertThat(byApprover.status()).isEqualTo(200);
    assertThat(credentialIds(byApprover.body())).containsOnly(leaseCredential);
    assertThat(byStranger.status()).isEqualTo(404);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(badCursor.status()).isEqualTo(400);
    assertThat(
            strings(
                "SELECT actor_subject FROM audit_events WHERE type = 'lease.refused'"
                    + " AND details->>'lease_id' = '"
                    + leaseId
                    + "'"))
        .contains("eve");
  }

  @Test
  void aLeaseWithoutCallsListsNone() throws Exception {
    String request = grant("ida", "team-none");
    Answer own = post(idp.token("ida", "eng"), "/v1/credentials", credentials("team-none"));
    Answer created = createLease("ida", request, lease("never ran", 900));
    String leaseId = created.body().get("id").asText();
    settled(request);
    ActivityRows.calls(
        db,
        key(own.body().get("credential_id").asText()),
        2,
        Instant.parse("2026-11-20T10:00:00Z"));

    Answer ofLease =
        send(idp.token("ida", "eng"), "GET", "/v1/leases/" + leaseId + "/activity", "");

    assertThat(ofLease.status()).isEqualTo(200);
    assertThat(ofLease.body().get("events")).isEmpty();
    assertThat(ofLease.body().get("summary").get("unused").asBoolean())
        .as("it minted nothing: nothing could have been used unseen")
        .isTrue();
    assertThat(ofLease.body().get("summary").get("calls").asLong()).isZero();
    assertThat(ofLease.body().get("visibility").get("whole").asBoolean()).isTrue();
    assertThat(ofLease.body().get("visibility").get("says").asText())
        .isEqualTo("no credential was handed out");
  }

  @Test
  void aLeaseSessionWithNoCallSeenIsNotCalledUnusedWhileItsDataEventsCannotBeSeen()
      throws Exception {
    String request = grant("ivy", "team-quiet");
    Answer created = createLease("ivy", request, lease("read reports", 900));
    String leaseId = created.body().get("id").asText();
    Answer minted = mintOnLease(created.body().get("lease_token").asText(), leaseId);
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);

    JsonNode activity =
        send(idp.token("ivy", "eng"), "GET", "/v1/leases/" + leaseId + "/activity", "").body();

    assertThat(activity.get("summary").get("calls").asLong()).isZero();
    assertThat(activity.get("summary").get("unused").asBoolean())
        .as("its S3 reads would be data events, which only the push brings")
        .isFalse();
    assertThat(activity.get("visibility").get("whole").asBoolean()).isFalse();
    assertThat(activity.get("visibility").get("seen").toString())
        .isEqualTo("[\"management_calls\"]");
    assertThat(activity.get("visibility").get("unseen").toString())
        .isEqualTo("[\"data_events_push_off\"]");
    assertThat(activity.get("visibility").get("says").asText())
        .startsWith("management calls are looked up in CloudTrail; data events (S3 object reads");
  }

  @Test
  void aSettledGrantRecordsEachLeasesOwnActivity() throws Exception {
    String request = grant("uma", "team-rec");
    Answer own = post(idp.token("uma", "eng"), "/v1/credentials", credentials("team-rec"));
    Answer created = createLease("uma", request, lease("record me", 900));
    String leaseId = created.body().get("id").asText();
    Answer minted = mintOnLease(created.body().get("lease_token").asText(), leaseId);
    ActivityRows.calls(
        db,
        key(own.body().get("credential_id").asText()),
        4,
        Instant.parse("2026-11-20T10:00:00Z"));
    ActivityRows.calls(
        db,
        key(minted.body().get("credential_id").asText()),
        2,
        Instant.parse("2026-11-20T11:00:00Z"));
    assertThat(
            post(
                    idp.token("uma", "eng"),
                    "/v1/requests/" + request + "/revoke",
                    JSON.createObjectNode())
                .status())
        .isEqualTo(200);
    settled(request);
    AuditTables.execute(
        TestPostgres.asSuperuser(db),
        "INSERT INTO activity_awaiting (request_id, due_at) VALUES ('"
            + request
            + "', now()) ON CONFLICT (request_id) DO UPDATE SET due_at = now()");

    eventually(
        () ->
            !strings(
                    "SELECT count(*) FROM audit_events WHERE type = 'grant.activity'"
                        + " AND request_id = '"
                        + request
                        + "'")
                .get(0)
                .equals("0"),
        "grant.activity recorded");

    assertThat(
            strings(
                "SELECT (details->>'calls') || ' ' || (details->>'errors') FROM audit_events"
                    + " WHERE type = 'lease.activity' AND details->>'lease_id' = '"
                    + leaseId
                    + "'"))
        .containsExactly("2 1");
    // The revoke ends the grant's leases through the outbox, after its own commit.
    eventually(
        () ->
            "ended"
                .equals(
                    send(idp.token("uma", "eng"), "GET", "/v1/leases/" + leaseId, "")
                        .body()
                        .path("state")
                        .asText()),
        "the lease ended with its grant");
    JsonNode after =
        send(idp.token("uma", "eng"), "GET", "/v1/leases/" + leaseId + "/activity", "").body();
    assertThat(after.get("state").asText()).isEqualTo("ended");
    assertThat(after.get("settled").asBoolean()).isTrue();
    assertThat(
            strings(
                "SELECT details->>'calls' FROM audit_events WHERE type = 'grant.activity'"
                    + " AND request_id = '"
                    + request
                    + "'"))
        .containsExactly("6");
  }
}
