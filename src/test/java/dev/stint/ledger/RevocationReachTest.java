package dev.stint.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a revoke says it ends, read from what the ledger holds of the grant's credentials. */
class RevocationReachTest {
  private static final Instant REVOKED = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant GRANT_ENDS = Instant.parse("2026-11-23T12:00:00Z");

  @ParameterizedTest(name = "{0} latest={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''        | ''                   | none         | '' | No credential issued on this grant is still valid: nothing is written to any cloud, and no new credential will be issued.",
        "''        | 2026-11-23T09:40:00Z | none         | '' | No credential issued on this grant is still valid (the last expired at 2026-11-23T09:40:00Z): nothing is written to any cloud, and no new credential will be issued.",
        "aws       | 2026-11-23T10:40:00Z | until_deny   | aws | 1 credential(s) issued on this grant are still valid: AWS sessions stop once the deny on their role is in IAM (grant.revocation_applied, then IAM's propagation); the last issued expires at 2026-11-23T10:40:00Z.",
        "aws,gcp   | 2026-11-23T10:40:00Z | until_deny   | aws | 2 credential(s) issued on this grant are still valid: AWS sessions stop once the deny on their role is in IAM (grant.revocation_applied, then IAM's propagation); access tokens of other clouds stay valid until they expire; the last issued expires at 2026-11-23T10:40:00Z.",
        "gcp       | 2026-11-23T10:40:00Z | until_expiry | gcp | Google and Entra access tokens cannot be revoked: this revoke stops new tokens, and the 1 already issued stay valid until they expire; the last issued expires at 2026-11-23T10:40:00Z.",
        "azure     | 2026-11-23T12:20:00Z | until_expiry | azure | Google and Entra access tokens cannot be revoked: this revoke stops new tokens, and the 1 already issued stay valid until they expire, after the grant's end 2026-11-23T12:00:00Z (allow_lifetime_overrun); the last issued expires at 2026-11-23T12:20:00Z."
      })
  void saysWhatTheRevokeEndsAndWhatItCannot(
      String clouds, String latest, String live, String cloud, String note) {
    List<Ledger.Reach> valid = new ArrayList<>();
    for (String c : clouds.isEmpty() ? new String[0] : clouds.split(",")) {
      valid.add(new Ledger.Reach(c, c + "-target", c.equals("aws"), 1, Instant.parse(latest)));
    }
    RevocationReach reach =
        new RevocationReach(
            valid,
            GRANT_ENDS,
            latest.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(latest)));

    assertThat(reach.live().code()).isEqualTo(live);
    assertThat(reach.cloud()).isEqualTo(cloud.isEmpty() ? Optional.empty() : Optional.of(cloud));
    assertThat(reach.note(REVOKED)).isEqualTo(note);
  }
}
