package dev.stint.access;

import dev.stint.identity.Person;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One approver's decision on one request, in the stage that was open when they made it ({@code
 * stage}; empty for votes recorded before requests had stages); each approver has at most one.
 */
public record Vote(
    Person approver,
    Decision decision,
    Optional<String> comment,
    Instant at,
    Optional<String> stage) {

  /** A vote in no named stage. */
  public Vote(Person approver, Decision decision, Optional<String> comment, Instant at) {
    this(approver, decision, comment, at, Optional.empty());
  }

  /** What an approver said. */
  public enum Decision {
    APPROVE,
    DENY;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
