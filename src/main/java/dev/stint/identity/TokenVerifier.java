package dev.stint.identity;

import io.vertx.core.Future;

/**
 * Turns a bearer token into a {@link Principal}. A refused token fails the future with a {@code
 * StintException} UNAUTHENTICATED whose detail is generic; the specific reason is logged.
 */
public interface TokenVerifier {
  Future<Principal> verify(String token);
}
