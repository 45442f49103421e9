package dev.stint.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.reliability.ReplicaRig.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeIam;
import dev.stint.testing.Patience;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A revocation in flight when its server stops: after SIGKILL the next server on the database
 * applies it; after SIGTERM the stopping server finishes it before it exits.
 */
class RestartIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  @TempDir Path dir;

  @Test
  void aRevocationInFlightAtSigkillIsAppliedByTheNextServer() throws Exception {
    try (ReplicaRig rig = new ReplicaRig(dir)) {
      rig.start("first");
      FakeIam.Hold hold = holdRevocation(rig, "first");
      String grant = revokedGrant(rig, "first");
      hold.arrived().get(Patience.minutes(1), TimeUnit.MILLISECONDS);
      rig.process("first").kill();
      hold.release().complete(null);
      assertThat(applied(rig, grant)).as("applied by a dead server").isZero();

      rig.start("second");
      ReplicaChecks.outboxSettles(rig, LIMIT);
      assertThat(applied(rig, grant)).isEqualTo(1);
      assertThat(outboxRow(rig, grant)).isEqualTo("done 2");
      assertThat(rig.iam.policy("sandbox", "stint-revocations"))
          .hasValueSatisfying(document -> assertThat(document).contains(grant));
    }
  }

  @Test
  void aServerStoppedBySigtermFinishesTheRevocationUnderWayBeforeItExits() throws Exception {
    try (ReplicaRig rig = new ReplicaRig(dir)) {
      rig.start("only");
      FakeIam.Hold hold = holdRevocation(rig, "only");
      String grant = revokedGrant(rig, "only");
      hold.arrived().get(Patience.minutes(1), TimeUnit.MILLISECONDS);
      rig.process("only").terminate();
      rig.process("only").awaitStdout(line -> line.contains("stopping"), LIMIT);
      hold.release().complete(null);

      assertThat(rig.process("only").waitFor(LIMIT)).isEqualTo(143);
      assertThat(applied(rig, grant)).isEqualTo(1);
      assertThat(outboxRow(rig, grant)).isEqualTo("done 1");
    }
  }

  private static FakeIam.Hold holdRevocation(ReplicaRig rig, String replica) {
    return rig.iam.holdNext(
        call -> ReplicaRig.from(replica, call) && "GetRolePolicy".equals(call.param("Action")));
  }

  /** An approved sandbox grant with a credential issued, then revoked by its holder. */
  private static String revokedGrant(ReplicaRig rig, String replica) throws Exception {
    String holder = rig.idp.token("eng-restart", "eng");
    Answer created =
        rig.post(
            replica,
            holder,
            "/v1/requests",
            "{\"profile\":\"sandbox\",\"duration_seconds\":1800,\"reason\":\"restart test\"}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    for (String approver : new String[] {"sre-1", "sre-2"}) {
      Answer vote =
          rig.post(
              replica, rig.idp.token(approver, "sre"), "/v1/requests/" + id + "/approve", "{}");
      assertThat(vote.status()).as(vote.body().toString()).isEqualTo(200);
    }
    Answer creds = rig.post(replica, holder, "/v1/credentials", "{\"profile\":\"sandbox\"}");
    assertThat(creds.status()).as(creds.body().toString()).isEqualTo(200);
    Answer revoked = rig.post(replica, holder, "/v1/requests/" + id + "/revoke", "{}");
    assertThat(revoked.status()).as(revoked.body().toString()).isEqualTo(200);
    return creds.body().get("grant_id").asText();
  }

  private static long applied(ReplicaRig rig, String grant) throws Exception {
    return AuditTables.count(
        rig.db, "type = 'grant.revocation_applied' AND grant_id = '" + grant + "'");
  }

  private static String outboxRow(ReplicaRig rig, String grant) throws Exception {
    return String.join(
        ",",
        AuditTables.strings(
            rig.db,
            "SELECT o.state || ' ' || o.attempts"
                + " FROM outbox o JOIN grants g ON g.request_id = o.request_id WHERE g.id = '"
                + grant
                + "' AND o.listener = 'revocation'"));
  }
}
