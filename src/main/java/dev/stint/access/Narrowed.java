package dev.stint.access;

import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import java.util.Objects;
import java.util.Optional;

/**
 * What a request on a narrowed profile is narrowed to: the values its requester gave the profile's
 * parameters and, once checked, the document they fill (the AWS session policy's statements or the
 * GCP access boundary) exactly as approvers see it and as its grant is minted on. A request on any
 * other profile is {@link #NONE}.
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
