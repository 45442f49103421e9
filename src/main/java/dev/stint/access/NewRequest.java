package dev.stint.access;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a requester asks for, as parsed from the API, before any check; once checked, the asked part
 * of the stored {@link AccessRequest}. {@code narrowed} holds a narrowed profile's values, and once
 * checked the document they fill.
 */
public record NewRequest(
    String profile,
    Duration duration,
    String reason,
    Optional<String> ticket,
    Optional<Instant> startsAt,
    boolean breakGlass,
    Narrowed narrowed) {

  public NewRequest {
    Objects.requireNonNull(narrowed, "narrowed");
  }

  /** A request on a profile without parameters. */
  public NewRequest(
      String profile,
      Duration duration,
      String reason,
      Optional<String> ticket,
      Optional<Instant> startsAt,
      boolean breakGlass) {
    this(profile, duration, reason, ticket, startsAt, breakGlass, Narrowed.NONE);
  }

  /** This request narrowed as checked: its values and the document they fill. */
  public NewRequest withNarrowed(Narrowed checked) {
    return new NewRequest(profile, duration, reason, ticket, startsAt, breakGlass, checked);
  }
}
