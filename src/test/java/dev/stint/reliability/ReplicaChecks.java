package dev.stint.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.reliability.ReplicaLoad.Issued;
import dev.stint.reliability.ReplicaRig.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import java.time.Duration;
import java.util.List;

/**
 * What must hold after replicas ran side by side and one died: read from the database, the audit
 * API and IAM, never from the replicas' own word.
 */
final class ReplicaChecks {
  private ReplicaChecks() {}

  /** Waits until the survivors delivered every side effect (nothing pending, nothing dead). */
  static void outboxSettles(ReplicaRig rig, Duration within) throws Exception {
    try {
      Eventually.until("every outbox row delivered", within, () -> outstanding(rig).isEmpty());
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "; still pending: "
              + AuditTables.strings(
                  rig.db,
                  "SELECT id || ' ' || listener || ' attempts=' || attempts || ' next=' || next_attempt_at"
                      + " || ' lease=' || coalesce(lease_until::text, '-') || ' error=' ||"
                      + " coalesce(last_error, '-') FROM outbox WHERE state = 'pending'"),
          e);
    }
    assertThat(
            AuditTables.strings(
                rig.db,
                "SELECT id || ' ' || listener || ': ' || "
                    + "coalesce(last_error, '') FROM outbox WHERE state = 'dead'"))
        .as("dead outbox rows")
        .isEmpty();
  }

  static List<String> outstanding(ReplicaRig rig) throws Exception {
    return AuditTables.strings(
        rig.db,
        "SELECT id || ' ' || listener || ' ' || state FROM outbox" + " WHERE state = 'pending'");
  }

  static void all(ReplicaRig rig, ReplicaLoad load, String survivor) throws Exception {
    assertThat(load.violations).as("answers that broke a promise").isEmpty();
    everyCredentialHasItsAuditRow(rig, load.issued);
    noRequestGotMoreVotesThanItNeeded(rig);
    noGrantWasExtendedAfterItsRevocation(rig);
    everyRevokedGrantHasItsDeny(rig);
    theChainVerifies(rig, survivor);
  }

  static void everyCredentialHasItsAuditRow(ReplicaRig rig, List<Issued> issued) throws Exception {
    assertThat(issued).as("credentials issued under load").isNotEmpty();
    List<String> audited =
        AuditTables.strings(
            rig.db,
            "SELECT details->'credential'->>"
                + "'access_key_id' || ' ' || grant_id FROM audit_events WHERE type = 'credential.issued'");
    assertThat(audited)
        .as("credential.issued rows (access key, grant)")
        .containsAll(issued.stream().map(i -> i.accessKeyId() + " " + i.grantId()).toList());
  }

  /** Three approvers voted on each request and extension that needed two. */
  static void noRequestGotMoreVotesThanItNeeded(ReplicaRig rig) throws Exception {
    assertThat(
            AuditTables.strings(
                rig.db,
                "SELECT r.id FROM access_requests r WHERE (SELECT"
                    + " count(*) FROM approvals a WHERE a.request_id = r.id AND a.decision = 'approve')"
                    + " > r.approvals_required"))
        .as("requests with more approvals than required")
        .isEmpty();
    assertThat(
            AuditTables.strings(
                rig.db,
                "SELECT id FROM grant_extensions"
                    + " WHERE jsonb_array_length(approvals) > approvals_required"))
        .as("extensions with more approvals than required")
        .isEmpty();
    // A decision's audit event commits before the decision does, so a replica killed between
    // the two leaves an event for an approval that never took effect, and a later vote records
    // the real one: the log may show an action that did not happen, never miss one that did
    // (docs/audit.md). What must never happen is a request decided twice: two grants.
    assertThat(
            AuditTables.strings(
                rig.db,
                "SELECT request_id FROM grants" + " GROUP BY request_id HAVING count(*) > 1"))
        .as("requests granted twice")
        .isEmpty();
    assertThat(
            AuditTables.strings(
                rig.db,
                "SELECT e.request_id FROM audit_events e"
                    + " WHERE e.type = 'request.approved' GROUP BY e.request_id HAVING count(*) > 2"))
        .as("requests approved more than once beyond the one a kill can leave")
        .isEmpty();
  }

  /**
   * Judged by the chain's order, which is the order of the request-row lock both decisions take:
   * their timestamps are read before that lock, so an extension approved just before a revoke that
   * waited for it may carry the later time. Against the revocation that took effect: the grant is
   * revoked in the database, and its last {@code grant.revoked} event is that revocation's (an
   * earlier one can be a killed replica's, audited before its decision committed, which never took
   * effect).
   */
  static void noGrantWasExtendedAfterItsRevocation(ReplicaRig rig) throws Exception {
    assertThat(
            AuditTables.strings(
                rig.db,
                "SELECT x.grant_id FROM audit_events x"
                    + " JOIN grants g ON g.id = x.grant_id AND g.revoked_at IS NOT NULL"
                    + " WHERE x.type = 'grant.extended' AND x.seq > (SELECT max(r.seq) FROM audit_events r"
                    + " WHERE r.grant_id = x.grant_id AND r.type = 'grant.revoked')"))
        .as("grant.extended after grant.revoked")
        .isEmpty();
    assertThat(
            AuditTables.strings(
                rig.db,
                "SELECT g.id FROM grants g JOIN access_requests r"
                    + " ON r.id = g.request_id WHERE (g.revoked_at IS NULL) <> (r.state <> 'revoked')"))
        .as("grants whose revocation and request state disagree")
        .isEmpty();
  }

  /**
   * IAM holds a deny for every revoked grant's sessions, on the role the ledger says each was
   * minted on, and the audit says every revocation was applied.
   */
  static void everyRevokedGrantHasItsDeny(ReplicaRig rig) throws Exception {
    assertThat(AuditTables.strings(rig.db, "SELECT id FROM grants WHERE revoked_at IS NOT NULL"))
        .as("revoked grants")
        .isNotEmpty();
    List<String> denied =
        AuditTables.strings(
            rig.db,
            "SELECT DISTINCT c.grant_id || ' '"
                + " || c.target FROM credentials c JOIN grants g ON g.id = c.grant_id"
                + " WHERE g.revoked_at IS NOT NULL AND c.state = 'revoked' AND c.expires_at > now()");
    for (String row : denied) {
      String grant = row.split(" ")[0];
      String role = row.split(" ")[1].substring(row.split(" ")[1].lastIndexOf('/') + 1);
      assertThat(rig.iam.policy(role, "stint-revocations"))
          .as("the deny for " + grant)
          .hasValueSatisfying(document -> assertThat(document).contains(grant));
    }
    // Only revocations that took effect: a replica killed between a revoke's audit event and
    // its commit leaves a grant.revoked for a grant still active, with no deny owed (the window
    // docs/audit.md allows).
    assertThat(
            AuditTables.strings(
                rig.db,
                "SELECT DISTINCT g.id FROM grants g JOIN audit_events r"
                    + " ON r.grant_id = g.id AND r.type = 'grant.revoked' WHERE g.revoked_at IS NOT NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.grant_id = g.id"
                    + " AND a.type = 'grant.revocation_applied')"))
        .as("revoked grants without grant.revocation_applied")
        .isEmpty();
  }

  static void theChainVerifies(ReplicaRig rig, String survivor) throws Exception {
    Answer verify = rig.get(survivor, rig.idp.token("auditor-1", "security"), "/v1/audit/verify");
    assertThat(verify.status()).as(verify.body().toString()).isEqualTo(200);
    assertThat(verify.body().path("ok").asBoolean()).as(verify.body().toString()).isTrue();
  }
}
