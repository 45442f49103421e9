package dev.stint.finding;

import dev.stint.access.Act;
import dev.stint.identity.Person;
import dev.stint.outbox.Committed;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A finding raised, as the outbox carries it to what follows (its audit, its action, its notices):
 * its row names the request and, as its comment, the finding, which is read again at delivery as it
 * was recorded.
 */
public record FindingChange(Finding finding) implements Committed {
  /** The outbox event of a raised finding. */
  public static final String EVENT = "finding.raised";

  public FindingChange {
    Objects.requireNonNull(finding, "finding");
  }

  @Override
  public String event() {
    return EVENT;
  }

  @Override
  public String requestId() {
    return finding.origin().requestId();
  }

  @Override
  public String profile() {
    return finding.origin().profile();
  }

  @Override
  public Person actor() {
    return Act.SYSTEM;
  }

  /** The finding's id: what the row is read back by. */
  @Override
  public Optional<String> comment() {
    return Optional.of(finding.id());
  }

  @Override
  public Instant at() {
    return finding.raisedAt();
  }
}
