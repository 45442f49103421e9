package dev.stint.http;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One thing {@code /readyz} checks. A failed future means not ready; its message is a short,
 * caller-safe reason (it is shown on an unauthenticated endpoint). {@code warning} is what an
 * operator should see although the server is ready (a refused policy change, an issuer that stopped
 * answering while its keys still verify), shown under {@code warnings}; equally caller-safe.
 */
public record ReadinessCheck(
    String name, Supplier<Future<Void>> check, Supplier<Optional<String>> warning) {

  /** A check with nothing to warn of. */
  public ReadinessCheck(String name, Supplier<Future<Void>> check) {
    this(name, check, Optional::empty);
  }
}
