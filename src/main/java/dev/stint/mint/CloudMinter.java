package dev.stint.mint;

import java.util.concurrent.CompletableFuture;

/**
 * Mints for one cloud. A minter is handed a lifetime already capped (by {@link Lifetimes}, within
 * its {@link #limits()}) and the hard end no credential may outlive; it never sees a grant or the
 * duration a caller asked for, so it cannot decide a lifetime of its own. The future fails with a
 * {@link MintException} (or another {@code StintException}) whose detail is safe to show.
 */
public interface CloudMinter {
  /** The cloud's own bounds on one credential's lifetime. */
  Lifetimes.CloudLimits limits();

  CompletableFuture<Credential> mint(MintOrder order);
}
