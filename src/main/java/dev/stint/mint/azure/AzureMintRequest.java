package dev.stint.mint.azure;

import java.time.Instant;
import java.util.Objects;

/**
 * One token to mint: for which app, for which grant and person (they go into the client
 * assertion's claims and the log), and when the grant ends. Entra alone decides the token's
 * lifetime; {@code grantEndsAt} is what the minter holds it against.
 */
public record AzureMintRequest(AzureApp app, String grantId, String profile, String person,
    Instant grantEndsAt) {
  public AzureMintRequest {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(grantId, "grantId");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(grantEndsAt, "grantEndsAt");
  }
}
