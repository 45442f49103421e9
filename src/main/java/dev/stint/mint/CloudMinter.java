package dev.stint.mint;

import dev.stint.cloud.Cloud;
import dev.stint.cloud.CloudTarget;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one contract a cloud implements, typed by the record of its targets ({@code T}) and the
 * credential it mints ({@code C}), so that one class per cloud implements it and none casts: its
 * name, the bounds on a credential's lifetime, the mint itself, a console sign-in if it has one,
 * and what a revoke reaches: which credentials a revoke can end is the credential's to say ({@link
 * Receipt#revocable()}), and how they are ended is the cloud's {@link #revoker()}.
 *
 * <p>A minter is handed a lifetime already capped (by {@link Lifetimes}, within its {@link
 * #limits()}) and the hard end no credential may outlive; it never sees a grant, a rule or the
 * duration a caller asked for, so it cannot decide a lifetime of its own. The future fails with a
 * {@link MintException} (or another {@code StintException}) whose detail is safe to show.
 */
public interface CloudMinter<T extends CloudTarget, C extends Credential> {
  /** The cloud, by its key in the policy file ({@code aws}, {@code gcp}, {@code azure}). */
  Cloud<T> cloud();

  /** The cloud's own bounds on one credential's lifetime. */
  Lifetimes.CloudLimits limits();

  /** A credential on {@code target}, a profile's, as {@code order} says. */
  CompletableFuture<C> mint(T target, MintOrder order);

  /** The cloud's console sign-in, where it has one. */
  default Optional<ConsoleSignIn<T, C>> console() {
    return Optional.empty();
  }

  /**
   * How the cloud ends the credentials it minted revocable, where it can: a revoke of a cloud
   * without one stops new credentials, and those already issued live until they expire.
   */
  default Optional<SessionRevoker> revoker() {
    return Optional.empty();
  }

  /** Where the cloud's own logs tell what its credentials did, if stint can read them. */
  default Optional<ActivityLookup> activity() {
    return Optional.empty();
  }
}
