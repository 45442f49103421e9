package dev.stint.http;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/**
 * Whoever opened an audit event stream, as the stream re-checks them while it runs: the gate let
 * them in once, but a token expires, a session is ended, a policy reload takes the auditor role
 * away — and then the stream must end too.
 */
public interface StreamReader {
  /** The person (issuer and subject) the per-person stream cap counts against. */
  String person();

  /** Why the stream must end now ({@code token_expired}, ...), or empty while still allowed. */
  Future<Optional<String>> endReason(Instant now);
}
