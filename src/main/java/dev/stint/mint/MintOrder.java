package dev.stint.mint;

import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One credential to mint on a profile's target (handed beside it, typed by its cloud): the
 * profile's name and the networks it allows ({@code sources}, for clouds that can pin a credential
 * to them), what it is issued under, whose it is ({@code holder} a name for people reading the
 * cloud's logs; {@code issuer} and {@code subject} the identity), the capped {@code lifetime}, and
 * the {@code hardEnd} it must not outlive (the grant's end, or the CI rule's; sooner when the
 * profile caps its tokens: {@link Lifetimes#latestEnd}). {@code parameters} are the values the
 * grant was approved with, filled into a narrowed profile's session policy or access boundary
 * ({@link ParameterValues#NONE} for any other profile). {@code statements}, when present, are the
 * session's statements in place of the profile's (its template or its fixed session policy): a task
 * lease's own, proven within its grant's when the lease was made; only AWS takes them.
 */
public record MintOrder(
    String profile,
    SourceNetworks sources,
    IssuedUnder under,
    String holder,
    String issuer,
    String subject,
    Duration lifetime,
    Instant hardEnd,
    ParameterValues parameters,
    Optional<FilledDocument> statements) {

  public MintOrder {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(sources, "sources");
    Objects.requireNonNull(under, "under");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(hardEnd, "hardEnd");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(statements, "statements");
    if (lifetime.isZero() || lifetime.isNegative()) {
      throw new IllegalArgumentException("lifetime must be positive, got " + lifetime);
    }
  }
}
