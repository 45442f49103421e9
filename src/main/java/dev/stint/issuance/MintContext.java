package dev.stint.issuance;

import dev.stint.policy.Profile;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One credential to mint: the profile, the grant (or CI rule) it serves and when that ends, who
 * it is for ({@code person} a name for people to read, {@code issuer} and {@code subject} the
 * identity), and how long the caller asked for ({@code requested} empty: as long as allowed).
 * {@code max} is the profile's or the CI rule's maximum duration.
 */
public record MintContext(
    Profile profile,
    String grantId,
    Instant endsAt,
    String person,
    String issuer,
    String subject,
    Optional<Duration> requested,
    Duration max) {}
