package dev.stint.access;

import dev.stint.access.NewRequest.Narrowed;
import dev.stint.identity.Person;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The access an approved request gives: a profile for one person during [startsAt, endsAt), on a
 * narrowed profile only as {@code narrowed} (the request's values and the document approvers saw).
 * A revoked grant stays on record with who revoked it; a break-glass grant needs a review.
 */
public record Grant(
    String id,
    String requestId,
    String profile,
    Person holder,
    Instant startsAt,
    Instant endsAt,
    boolean breakGlass,
    Optional<Revocation> revocation,
    Optional<Review> review,
    Narrowed narrowed) {

  public Grant {
    Objects.requireNonNull(narrowed, "narrowed");
  }

  /** Who ended a grant early, and when. */
  public record Revocation(Person by, Instant at) {}

  /** Who looked at a break-glass grant after the fact, and when. */
  public record Review(Person by, Instant at) {}

  /** Usable for minting at {@code now}: started, not ended, not revoked. */
  public boolean activeAt(Instant now) {
    return revocation.isEmpty() && !now.isBefore(startsAt) && now.isBefore(endsAt);
  }

  public boolean needsReview() {
    return breakGlass && review.isEmpty();
  }

  Grant revoked(Person by, Instant at) {
    return new Grant(
        id,
        requestId,
        profile,
        holder,
        startsAt,
        endsAt,
        breakGlass,
        Optional.of(new Revocation(by, at)),
        review,
        narrowed);
  }

  Grant reviewed(Person by, Instant at) {
    return new Grant(
        id,
        requestId,
        profile,
        holder,
        startsAt,
        endsAt,
        breakGlass,
        revocation,
        Optional.of(new Review(by, at)),
        narrowed);
  }
}
