package dev.stint.issuance;

import dev.stint.audit.Fingerprints;
import dev.stint.mint.aws.AwsSession;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** AWS STS credentials, as the API answers them (ARCHITECTURE §4). */
record AwsIssued(AwsSession session, String grantId) implements Issued {
  @Override
  public String cloud() {
    return "aws";
  }

  @Override
  public Instant expiresAt() {
    return session.expiration();
  }

  @Override
  public JsonObject body() {
    return new JsonObject()
        .put("cloud", "aws")
        .put("access_key_id", session.accessKeyId())
        .put("secret_access_key", session.secretAccessKey())
        .put("session_token", session.sessionToken())
        .put("expiration", session.expiration().toString())
        .put("grant_id", grantId);
  }

  @Override
  public Map<String, Object> auditDetails() {
    return Map.of(
        "access_key_id", session.accessKeyId(),
        "session_token_sha256", Fingerprints.sha256(session.sessionToken()),
        "expiration", session.expiration().toString(),
        "sts_expiration", session.stsExpiration().toString());
  }

  @Override
  public String toString() {
    return "AwsIssued[" + session + ", grantId=" + grantId + "]";
  }
}
