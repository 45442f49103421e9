package dev.stint.activity;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/** When a request's grant ends, or ended (its revocation when revoked); empty without a grant. */
@FunctionalInterface
public interface GrantEnds {
  Future<Optional<Instant>> end(String requestId);
}
