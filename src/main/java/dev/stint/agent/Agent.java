package dev.stint.agent;

import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.lease.Lease;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An AI agent a person enrolled: it may ask for task leases of {@code profiles} on its person's
 * grants until {@code expiresAt}, unless revoked first. Its token is kept only hashed, by the
 * store. {@code owner} is the person it asks for, with the policy's name for their issuer, and
 * their claims as verified when they enrolled it ({@code people.StoredClaims}).
 */
public record Agent(
    String id,
    String name,
    Person owner,
    String ownerIssuerName,
    List<String> profiles,
    Instant createdAt,
    Instant expiresAt,
    Optional<Instant> revokedAt,
    JsonObject ownerClaims) {

  public Agent {
    Objects.requireNonNull(id, "id");
    profiles = List.copyOf(profiles);
    Objects.requireNonNull(ownerClaims, "ownerClaims");
    if (!expiresAt.isAfter(createdAt)) {
      throw new IllegalArgumentException("an agent ends after it is enrolled");
    }
  }

  /** Whether it may ask and mint at {@code now}: neither revoked nor expired. */
  public boolean liveAt(Instant now) {
    return revokedAt.isEmpty() && now.isBefore(expiresAt);
  }

  /** {@code active}, {@code expired} or {@code revoked}, at {@code now}. */
  public String stateAt(Instant now) {
    if (revokedAt.isPresent()) {
      return "revoked";
    }
    return now.isBefore(expiresAt) ? "active" : "expired";
  }

  /** The agent as the leases it asks name it: the identity that mints them. */
  public Person asPerson() {
    return new Person(Lease.AGENT_ISSUER, id, Optional.empty());
  }

  /** Whose agent it is, as approvers are shown: the person's email, else their subject. */
  public String ownerLabel() {
    return owner.email().orElse(owner.subject());
  }

  /** The agent as the API's authentication admits its token: never a person. */
  public Principal principal() {
    return new Principal(
        "agent",
        Lease.AGENT_ISSUER,
        id,
        Optional.empty(),
        List.of(),
        Map.of("name", name),
        expiresAt,
        Optional.empty());
  }

  /**
   * The person it asks for, as the leases and requests of their own are read for it: their issuer
   * and subject as verified when they enrolled it, no groups.
   */
  public Principal ownerPrincipal() {
    return new Principal(
        ownerIssuerName,
        owner.issuer(),
        owner.subject(),
        owner.email(),
        List.of(),
        Map.of(),
        expiresAt,
        Optional.empty());
  }
}
