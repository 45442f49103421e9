package dev.stint.access;

import dev.stint.identity.Person;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Someone doing something to a request at a moment, with an optional comment. */
public record Act(Person actor, Instant at, Optional<String> comment) {

  /** The identity the server uses for what it does on its own (sweeping, auto-approval). */
  public static final Person SYSTEM = new Person("stint", "system", Optional.empty());

  /** Now, as Postgres keeps it: deciding on microseconds keeps answers and stored rows equal. */
  static Instant now(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  public static Act bySystem(Instant at) {
    return new Act(SYSTEM, at, Optional.empty());
  }
}
