package dev.stint.finding;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * A finding by its id, whoever asks: for a notifier's button, whose click is then judged as the
 * action it asks for (a revoke by the requests' and leases' own rules), never by this lookup.
 */
public interface FindingLookup {
  Future<Optional<Finding>> one(String id);
}
