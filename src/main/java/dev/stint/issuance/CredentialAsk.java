package dev.stint.issuance;

import dev.stint.access.Caller;
import dev.stint.common.ParameterValues;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One ask for a credential: {@code requested} empty means as long as allowed; {@code console}, on
 * the console channel, where the sign-in link lands; {@code parameters}, for a narrowed profile,
 * the values of the grant to mint on (a CI job's come from its rule, never from its ask).
 */
public record CredentialAsk(
    Caller caller,
    String profile,
    Optional<Duration> requested,
    IssuanceChannel channel,
    Optional<ConsoleLanding> console,
    ParameterValues parameters) {
  public CredentialAsk {
    Objects.requireNonNull(parameters, "parameters");
  }

  public CredentialAsk(
      Caller caller, String profile, Optional<Duration> requested, IssuanceChannel channel) {
    this(caller, profile, requested, channel, Optional.empty(), ParameterValues.NONE);
  }
}
