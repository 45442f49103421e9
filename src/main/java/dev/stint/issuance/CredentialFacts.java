package dev.stint.issuance;

import dev.stint.common.Fingerprints;
import dev.stint.mint.AccessToken;
import dev.stint.mint.Credential;
import dev.stint.mint.aws.AwsSession;
import java.util.Map;

/** What the audit keeps of a credential instead of it: ids, expiry and fingerprints. */
final class CredentialFacts {
  private CredentialFacts() {}

  static Map<String, Object> of(Credential credential) {
    if (credential instanceof AwsSession s) {
      return Map.of(
          "access_key_id", s.accessKeyId(),
          "session_token_sha256", Fingerprints.sha256(s.sessionToken()),
          "expiration", s.expiration().toString(),
          "sts_expiration", s.stsExpiration().toString());
    }
    if (credential instanceof AccessToken t) {
      return Map.of(
          "access_token_sha256", Fingerprints.sha256(t.token()),
          "expires_at", t.expiresAt().toString());
    }
    throw new IllegalArgumentException("unknown credential " + credential.cloud());
  }
}
