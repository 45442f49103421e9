package dev.stint.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.ledger.Ledger;
import dev.stint.ledger.RevocationReach;
import dev.stint.ledger.RevocationReach.Live;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a revoke answers before its delivery has recorded any progress. */
class RevocationStatusTest {
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private static final String PROD = "arn:aws:iam::111122223333:role/prod";
  private static final String AUDIT = "arn:aws:iam::111122223333:role/audit";

  @Test
  void aQueuedDenyNamesTheRolesItMustReachFromTheLedger() {
    RevocationReach reach =
        new RevocationReach(
            List.of(
                new Ledger.Reach("aws", PROD, true, 2, NOW.plusSeconds(900)),
                new Ledger.Reach("aws", AUDIT, true, 1, NOW.plusSeconds(600)),
                new Ledger.Reach("gcp", "sa@p.iam.gserviceaccount.com", false, 1, NOW)),
            NOW.plusSeconds(3600),
            Optional.of(NOW.plusSeconds(900)));

    RevocationStatus.Status status = RevocationStatus.of(reach, NOW);

    assertThat(status.stage()).isEqualTo(Live.UNTIL_DENY);
    assertThat(status.roles())
        .as("the roles whose deny must name the grant, not the token's service account")
        .containsExactly(AUDIT, PROD);
  }

  @Test
  void nothingToDenyNamesNoRole() {
    RevocationReach tokensOnly =
        new RevocationReach(
            List.of(new Ledger.Reach("gcp", "sa@p.iam.gserviceaccount.com", false, 1, NOW)),
            NOW.plusSeconds(3600),
            Optional.of(NOW));

    assertThat(RevocationStatus.of(tokensOnly, NOW).roles()).isEmpty();
    assertThat(RevocationStatus.of(RevocationReach.unknown(NOW), NOW).roles()).isEmpty();
  }
}
