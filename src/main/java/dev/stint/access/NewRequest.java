package dev.stint.access;

import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
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

  /**
   * What a request on a narrowed profile is narrowed to: the values its requester gave the
   * profile's parameters and, once checked, the document they fill (the AWS session policy's
   * statements or the GCP access boundary) exactly as approvers see it and as its grant is minted
   * on. A request on any other profile is {@link #NONE}.
   */
  public record Narrowed(ParameterValues values, Optional<FilledDocument> policy) {
    /** Not narrowed: no values, no document. */
    public static final Narrowed NONE = new Narrowed(ParameterValues.NONE, Optional.empty());

    public Narrowed {
      Objects.requireNonNull(values, "values");
      Objects.requireNonNull(policy, "policy");
    }

    /** The values as asked, before they are checked and filled in. */
    public static Narrowed asked(ParameterValues values) {
      return new Narrowed(values, Optional.empty());
    }

    public boolean isNarrowed() {
      return !values.isEmpty() || policy.isPresent();
    }
  }
}
