package dev.stint.mint;

import java.time.Instant;
import java.util.Objects;

/** An OAuth access token from GCP or Azure. */
public record AccessToken(String cloud, String token, Instant expiresAt) implements Credential {
  public AccessToken {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public String toString() {
    return "AccessToken[cloud=" + cloud + ", token=***, expiresAt=" + expiresAt + "]";
  }
}
