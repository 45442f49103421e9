package dev.stint.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.reliability.ReplicaLoad.Issued;
import dev.stint.reliability.ReplicaRig.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import java.time.Duration;
import java.util.List;

/**
 * What must hold after replicas ran side by side and one died: read from the database, the
 * audit API and IAM, never from the replicas' own word.
 */
final class ReplicaChecks {
  private ReplicaChecks() {}

  /** Waits until the survivors delivered every side effect (nothing pending, nothing dead). */
  static void outboxSettles(ReplicaRig rig, Duration within) throws Exception {
    Eventually.until("every outbox row delivered", within,
        () -> outstanding(rig).isEmpty());
    assertThat(AuditTables.strings(rig.db, "SELECT id || ' ' || listener || ': ' || "
        + "coalesce(last_error, '') FROM outbox WHERE state = 'dead'")).as("dead outbox rows")
        .isEmpty();
  }

  static List<String> outstanding(ReplicaRig rig) throws Exception {
    return AuditTables.strings(rig.db, "SELECT id || ' ' || listener || ' ' || state FROM outbox"
        + " WHERE state = 'pending'");
  }

  static void all(ReplicaRig rig, ReplicaLoad load, String survivor) throws Exception {
    assertThat(load.violations).as("answers that broke a promise").isEmpty();
    everyCredentialHasItsAuditRow(rig, load.issued);
    noRequestGotMoreVotesThanItNeeded(rig);
    noGrantWasExtendedAfterItsRevocation(rig);
    everyRevokedGrantHasItsDeny(rig);
    theChainVerifies(rig, survivor);
  }

  static void everyCredentialHasItsAuditRow(ReplicaRig rig, List<Issued> issued)
      throws Exception {
    assertThat(issued).as("credentials issued under load").isNotEmpty();
    List<String> audited = AuditTables.strings(rig.db, "SELECT details->'credential'->>"
        + "'access_key_id' || ' ' || grant_id FROM audit_events WHERE type = 'credential.issued'");
    assertThat(audited).as("credential.issued rows (access key, grant)")
        .containsAll(issued.stream().map(i -> i.accessKeyId() + " " + i.grantId()).toList());
  }

  /** Three approvers voted on each request and extension that needed two. */
  static void noRequestGotMoreVotesThanItNeeded(ReplicaRig rig) throws Exception {
    assertThat(AuditTables.strings(rig.db, "SELECT r.id FROM access_requests r WHERE (SELECT"
        + " count(*) FROM approvals a WHERE a.request_id = r.id AND a.decision = 'approve')"
        + " > r.approvals_required")).as("requests with more approvals than required").isEmpty();
    assertThat(AuditTables.strings(rig.db, "SELECT id FROM grant_extensions"
        + " WHERE jsonb_array_length(approvals) > approvals_required"))
        .as("extensions with more approvals than required").isEmpty();
    assertThat(AuditTables.strings(rig.db, "SELECT request_id FROM audit_events"
        + " WHERE type = 'request.approved' GROUP BY request_id HAVING count(*) > 1"))
        .as("requests approved twice").isEmpty();
  }

  static void noGrantWasExtendedAfterItsRevocation(ReplicaRig rig) throws Exception {
    assertThat(AuditTables.strings(rig.db, "SELECT e.id FROM grant_extensions e JOIN grants g"
        + " ON g.id = e.grant_id WHERE e.state = 'approved' AND g.revoked_at IS NOT NULL"
        + " AND e.updated_at > g.revoked_at")).as("extensions approved after a revoke").isEmpty();
    assertThat(AuditTables.strings(rig.db, "SELECT x.grant_id FROM audit_events x"
        + " JOIN audit_events r ON r.grant_id = x.grant_id AND r.type = 'grant.revoked'"
        + " WHERE x.type = 'grant.extended' AND x.seq > r.seq"))
        .as("grant.extended after grant.revoked").isEmpty();
    assertThat(AuditTables.strings(rig.db, "SELECT g.id FROM grants g JOIN access_requests r"
        + " ON r.id = g.request_id WHERE (g.revoked_at IS NULL) <> (r.state <> 'revoked')"))
        .as("grants whose revocation and request state disagree").isEmpty();
  }

  /** IAM holds a deny for every revoked grant, and the audit says it was applied. */
  static void everyRevokedGrantHasItsDeny(ReplicaRig rig) throws Exception {
    List<String> revoked = AuditTables.strings(rig.db, "SELECT id || ' ' || profile FROM grants"
        + " WHERE revoked_at IS NOT NULL");
    assertThat(revoked).as("revoked grants").isNotEmpty();
    for (String row : revoked) {
      String grant = row.split(" ")[0];
      String role = ReplicaPolicy.role(row.split(" ")[1]);
      assertThat(rig.iam.policy(role, "stint-revocations")).as("the deny for " + grant)
          .hasValueSatisfying(document -> assertThat(document).contains(grant));
    }
    assertThat(AuditTables.strings(rig.db, "SELECT DISTINCT g.id FROM grants g JOIN audit_events r"
        + " ON r.grant_id = g.id AND r.type = 'grant.revoked' WHERE NOT EXISTS (SELECT 1 FROM"
        + " audit_events a WHERE a.grant_id = g.id AND a.type = 'grant.revocation_applied')"))
        .as("revoked grants without grant.revocation_applied").isEmpty();
  }

  static void theChainVerifies(ReplicaRig rig, String survivor) throws Exception {
    Answer verify = rig.get(survivor, rig.idp.token("auditor-1", "security"), "/v1/audit/verify");
    assertThat(verify.status()).as(verify.body().toString()).isEqualTo(200);
    assertThat(verify.body().path("ok").asBoolean()).as(verify.body().toString()).isTrue();
  }
}
