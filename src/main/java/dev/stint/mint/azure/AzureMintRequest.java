package dev.stint.mint.azure;

import dev.stint.mint.IssuedUnder;
import java.time.Instant;
import java.util.Objects;

/**
 * One token to mint: for which app, for which grant and person (they go into the client assertion's
 * claims and the log), and the latest the token may end. Entra alone decides the token's lifetime;
 * {@code hardEnd} (the grant's end, or sooner the profile's token cap) is what the minter holds it
 * against.
 */
public record AzureMintRequest(
    AzureApp app, IssuedUnder under, String profile, String person, Instant hardEnd) {
  public AzureMintRequest {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(under, "under");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(hardEnd, "hardEnd");
  }
}
