package dev.stint.mint;

import java.time.Instant;
import java.util.Objects;

/**
 * An OAuth access token from GCP or Azure, for {@code target}: the service account, or the Entra
 * app and the scope it was issued for.
 */
public record AccessToken(String cloud, String target, String token, Instant expiresAt)
    implements Credential {
  public AccessToken {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public Receipt receipt() {
    return Receipt.token(cloud, target, token, expiresAt);
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
