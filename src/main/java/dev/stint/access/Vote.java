package dev.stint.access;

import dev.stint.identity.Person;
import java.time.Instant;
import java.util.Optional;

/** One approver's decision on one request; each approver has at most one. */
public record Vote(Person approver, Decision decision, Optional<String> comment, Instant at) {

  /** What an approver said. */
  public enum Decision {
    APPROVE,
    DENY;

    public String code() {
      return name().toLowerCase();
    }
  }
}
