package dev.stint.audit;

import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A kind of row another package writes in the transaction of the audit events it belongs to (the
 * ledger's row of each {@code credential.issued}): committed with its event, or neither is. The
 * audit log knows the rows only through this: one statement per batch for every row of the kind,
 * each row with its event's id and time, which only the audit log knows before it commits.
 *
 * @param <T> what one row records
 */
public interface EventRows<T> {

  /** One statement writing every row of a batch, from {@link #parameters}. */
  String insertAll();

  /** The statement's parameters for a batch's rows, in the order of their events. */
  Tuple parameters(List<Attached<T>> rows);

  /** A row of this kind for the event it is appended with. */
  default Row<T> row(T value) {
    return new Row<>(this, value);
  }

  /** A row to write with one event. */
  record Row<T>(EventRows<T> kind, T value) {
    public Row {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(value, "value");
    }

    Attached<T> to(UUID eventId, Instant occurredAt) {
      return new Attached<>(value, eventId, occurredAt);
    }
  }

  /** A row with the id and time its event was given. */
  record Attached<T>(T value, UUID eventId, Instant occurredAt) {}
}
