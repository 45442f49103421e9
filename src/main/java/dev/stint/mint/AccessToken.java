package dev.stint.mint;

import dev.stint.common.Fingerprints;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An OAuth access token, for {@code target}: a GCP service account, or an Entra app and the scope
 * it was issued for. {@code expiryField} names its expiry in the answer as the cloud's own tools do
 * (Google's {@code expires_at}, Entra's {@code expires_on}).
 */
public record AccessToken(
    String cloud, String target, String token, Instant expiresAt, String expiryField)
    implements Credential {
  public AccessToken {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(expiryField, "expiryField");
  }

  @Override
  public Receipt receipt() {
    return Receipt.token(cloud, target, token, expiresAt);
  }

  @Override
  public Map<String, String> wireFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("cloud", cloud);
    fields.put("access_token", token);
    fields.put(expiryField, expiresAt.toString());
    return fields;
  }

  @Override
  public Map<String, Object> auditFacts() {
    return Map.of(
        "access_token_sha256", Fingerprints.sha256(token), "expires_at", expiresAt.toString());
  }

  @Override
  public String toString() {
    return "AccessToken[cloud="
        + cloud
        + ", target="
        + target
        + ", token=***, expiresAt="
        + expiresAt
        + "]";
  }
}
