package dev.stint.mint;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.common.Fingerprints;
import dev.stint.mint.aws.AwsSession;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each credential says for itself what the caller gets (in its cloud's own field names, the secret
 * included) and what the audit keeps (never the secret), so the layers above name no cloud.
 */
class CredentialFieldsTest {
  private static final Instant EXPIRES = Instant.parse("2026-11-26T12:00:00Z");
  private static final AwsSession SESSION =
      new AwsSession(
          "ASIAEXAMPLE",
          "secret-access-key",
          "session-token",
          EXPIRES,
          EXPIRES.plusSeconds(600),
          "arn:aws:iam::111122223333:role/prod",
          "jane",
          "0123456789abcdef.grt_1",
          Optional.of("eu-west-1"));

  @Test
  void anAwsSessionAnswersAsTheAwsCliReadsItAndIsAuditedByKeyIdAndTokenHash() {
    assertThat(SESSION.wireFields())
        .containsExactly(
            entry("cloud", "aws"),
            entry("access_key_id", "ASIAEXAMPLE"),
            entry("secret_access_key", "secret-access-key"),
            entry("session_token", "session-token"),
            entry("expiration", "2026-11-26T12:00:00Z"),
            entry("region", "eu-west-1"));
    assertThat(SESSION.auditFacts())
        .containsOnly(
            entry("access_key_id", "ASIAEXAMPLE"),
            entry("session_token_sha256", Fingerprints.sha256("session-token")),
            entry("expiration", "2026-11-26T12:00:00Z"),
            entry("sts_expiration", "2026-11-26T12:10:00Z"));
    assertThat(SESSION.auditFacts().toString() + SESSION)
        .doesNotContain("secret-access-key")
        .doesNotContain("session-token");
  }

  @Test
  void anAccessTokenNamesItsExpiryAsItsCloudsToolsDoAndIsAuditedByItsHash() {
    AccessToken google =
        new AccessToken("gcp", "sa@p.iam.gserviceaccount.com", "ya29.tok", EXPIRES, "expires_at");
    AccessToken entra = new AccessToken("azure", "app", "eyJ.tok", EXPIRES, "expires_on");

    assertThat(google.wireFields())
        .containsExactly(
            entry("cloud", "gcp"),
            entry("access_token", "ya29.tok"),
            entry("expires_at", "2026-11-26T12:00:00Z"));
    assertThat(entra.wireFields()).containsKey("expires_on").doesNotContainKey("expires_at");
    assertThat(google.auditFacts())
        .containsOnly(
            entry("access_token_sha256", Fingerprints.sha256("ya29.tok")),
            entry("expires_at", "2026-11-26T12:00:00Z"));
    assertThat(google.auditFacts().toString() + google).doesNotContain("ya29.tok");
  }
}
