package dev.stint.http;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * One thing {@code /readyz} checks. A failed future means not ready; its message is a short,
 * caller-safe reason (it is shown on an unauthenticated endpoint).
 */
public record ReadinessCheck(String name, Supplier<Future<Void>> check) {}
