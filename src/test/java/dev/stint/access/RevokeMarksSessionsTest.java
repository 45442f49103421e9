package dev.stint.access;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.audit.AuditEvent;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.ledger.LedgerEntry;
import dev.stint.ledger.LedgerRows;
import dev.stint.mint.Receipt;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPolicies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A revoke marks its grant's revocable sessions revoked in the ledger in the revoke's own commit,
 * through the same decision path as every other decision: from then on any deny written on the role
 * names them, whichever revocation writes it, before the grant's own revocation is delivered (no
 * revocation listener runs here). A revoke that is refused marks nothing.
 */
class RevokeMarksSessionsTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/sandbox";

  static AccessRig rig;
  static AccessRig.Replica replica;

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    rig = new AccessRig(policyDir, TestPolicies::requests);
    replica = rig.replica();
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  @Test
  void aRevokeMarksItsGrantsSessionsRevokedInItsOwnCommit() throws Exception {
    Caller holder = rig.caller("oncall-revoke", "oncall");
    AccessRequest approved = grantWithOneSession(holder, "crd_marked");

    await(replica.access().decisions().revoke(holder, approved.id(), Optional.empty()));

    assertThat(states(approved)).containsExactly("revoked");
  }

  @Test
  void aRefusedRevokeMarksNothing() throws Exception {
    AccessRequest approved = grantWithOneSession(rig.caller("oncall-kept", "oncall"), "crd_kept");

    assertThatThrownBy(
            () ->
                await(
                    replica
                        .access()
                        .decisions()
                        .revoke(rig.caller("stranger", "eng"), approved.id(), Optional.empty())))
        .hasCauseInstanceOf(StintException.class)
        .cause()
        .satisfies(e -> assertThat(((StintException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(states(approved)).containsExactly("live");
  }

  /** An auto-approved sandbox grant, with one AWS session recorded on it as issuance records it. */
  private static AccessRequest grantWithOneSession(Caller holder, String credentialId)
      throws Exception {
    AccessRequest approved =
        await(
            replica
                .access()
                .requests()
                .create(
                    holder,
                    new NewRequest(
                        "sandbox",
                        Duration.ofMinutes(30),
                        "",
                        Optional.empty(),
                        Optional.empty(),
                        false)));
    Grant grant = approved.grant().orElseThrow();
    LedgerEntry session =
        new LedgerEntry(
            credentialId,
            LedgerEntry.Basis.grant(grant.id(), approved.id(), Optional.empty()),
            new LedgerEntry.Holder(holder.person().issuer(), holder.person().subject()),
            "sandbox",
            Receipt.awsSession(
                ROLE,
                "ASIA" + credentialId.toUpperCase(Locale.ROOT),
                holder.person().subject(),
                "0123456789abcdef." + grant.id(),
                rig.clock.instant().plus(Duration.ofMinutes(15))));
    await(
        replica
            .audit()
            .append(
                AuditEvent.builder("credential.issued")
                    .grantId(grant.id())
                    .detail("credential_id", credentialId)
                    .build(),
                LedgerRows.issued(session)));
    assertThat(states(approved)).containsExactly("live");
    return approved;
  }

  private static List<String> states(AccessRequest r) throws Exception {
    return AuditTables.strings(
        rig.url,
        "SELECT state FROM credentials WHERE grant_id = '" + r.grant().orElseThrow().id() + "'");
  }
}
