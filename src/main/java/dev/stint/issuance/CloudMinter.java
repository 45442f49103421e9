package dev.stint.issuance;

import io.vertx.core.Future;

/**
 * Mints for one cloud. The future completes on the caller's Vert.x context and fails with a
 * {@code StintException} whose detail is safe to show.
 */
public interface CloudMinter {
  Future<Issued> mint(MintContext context);
}
