package dev.stint.issuance;

import dev.stint.audit.Fingerprints;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * An OAuth access token from GCP or Azure. The answer carries the token; the audit keeps its
 * SHA-256 fingerprint. GCP names the expiry {@code expires_at}, Azure {@code expires_on}.
 */
record TokenIssued(String cloud, String accessToken, Instant expiresAt, String grantId)
    implements Issued {

  @Override
  public JsonObject body() {
    return new JsonObject()
        .put("cloud", cloud)
        .put("access_token", accessToken)
        .put(cloud.equals("azure") ? "expires_on" : "expires_at", expiresAt.toString())
        .put("grant_id", grantId);
  }

  @Override
  public Map<String, Object> auditDetails() {
    return Map.of("access_token_sha256", Fingerprints.sha256(accessToken),
        "expires_at", expiresAt.toString());
  }

  @Override
  public String toString() {
    return "TokenIssued[cloud=" + cloud + ", accessToken=***, expiresAt=" + expiresAt
        + ", grantId=" + grantId + "]";
  }
}
