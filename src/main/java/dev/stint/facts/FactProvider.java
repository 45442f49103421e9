package dev.stint.facts;

import dev.stint.policy.FactCall;
import dev.stint.policy.FactContext;
import io.vertx.core.Future;

/** One of the server's own fact providers ({@code facts.http.NAME}): answers its facts. */
public interface FactProvider {
  /**
   * Whether {@code call} holds about {@code about}. Fails (with a message that never holds the
   * token) when the lookup fails, is refused, is throttled, takes longer than its timeout or is
   * answered with anything but a JSON true or false.
   */
  Future<Boolean> ask(FactCall call, FactContext about);
}
