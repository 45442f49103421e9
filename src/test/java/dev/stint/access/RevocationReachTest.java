package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a revoke says it ends, per cloud, with and without what the audit records. */
class RevocationReachTest {
  private static final Instant REVOKED = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant GRANT_ENDS = Instant.parse("2026-11-23T12:00:00Z");

  @ParameterizedTest(name = "{0} overrun={1} latest={2}")
  @CsvSource(delimiter = '|', value = {
      "aws   | false | ''                   | until_deny   | AWS sessions already issued on this grant stop once the deny on the role is in IAM (grant.revocation_applied, then IAM's propagation).",
      "aws   | false | 2026-11-23T10:40:00Z | until_deny   | AWS sessions already issued on this grant stop once the deny on the role is in IAM (grant.revocation_applied, then IAM's propagation); the last issued expires at 2026-11-23T10:40:00Z.",
      "gcp   | false | ''                   | until_expiry | Google access tokens cannot be revoked: this revoke stops new tokens, and tokens already issued stay valid until they expire, at the latest at the grant's end 2026-11-23T12:00:00Z.",
      "gcp   | false | 2026-11-23T10:40:00Z | until_expiry | Google access tokens cannot be revoked: this revoke stops new tokens, and tokens already issued stay valid until they expire; the last issued expires at 2026-11-23T10:40:00Z.",
      "gcp   | false | 2026-11-23T09:40:00Z | until_expiry | Google access tokens cannot be revoked: this revoke stops new tokens, and tokens already issued stay valid until they expire; none issued on it is still valid (the last expired at 2026-11-23T09:40:00Z).",
      "azure | false | ''                   | until_expiry | Entra access tokens cannot be revoked: this revoke stops new tokens, and tokens already issued stay valid until they expire, at the latest at the grant's end 2026-11-23T12:00:00Z.",
      "azure | true  | ''                   | until_expiry | Entra access tokens cannot be revoked: this revoke stops new tokens, and tokens already issued stay valid until they expire, possibly after the grant's end 2026-11-23T12:00:00Z (allow_lifetime_overrun).",
      "azure | true  | 2026-11-23T12:20:00Z | until_expiry | Entra access tokens cannot be revoked: this revoke stops new tokens, and tokens already issued stay valid until they expire; the last issued expires at 2026-11-23T12:20:00Z.",
      "''    | false | ''                   | unknown      | The profile is no longer in the policy: this revoke stops new credentials; credentials already issued live until they expire (AWS sessions until a deny on the role is in IAM)."})
  void saysWhatTheRevokeEndsAndWhatItCannot(String cloud, boolean overrun, String latest,
      String live, String note) {
    RevocationReach reach = new RevocationReach(
        cloud.isEmpty() ? Optional.empty() : Optional.of(cloud), overrun, GRANT_ENDS,
        latest.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(latest)));

    assertThat(reach.live().code()).isEqualTo(live);
    assertThat(reach.note(REVOKED)).isEqualTo(note);
  }
}
