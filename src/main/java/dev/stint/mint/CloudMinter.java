package dev.stint.mint;

import dev.stint.common.SourceNetworks;
import dev.stint.target.CloudTarget;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one contract a cloud implements: its name in the policy file, the bounds on a credential's
 * lifetime, how a profile's target reads in its own terms, the mint itself, a console sign-in if it
 * has one, and what a revoke reaches: which credentials a revoke can end is the credential's to say
 * ({@link Receipt#revocable()}), and how they are ended is the cloud's {@link #revoker()}.
 *
 * <p>A minter is handed a lifetime already capped (by {@link Lifetimes}, within its {@link
 * #limits()}) and the hard end no credential may outlive; it never sees a grant, a rule or the
 * duration a caller asked for, so it cannot decide a lifetime of its own. The future fails with a
 * {@link MintException} (or another {@code StintException}) whose detail is safe to show.
 */
public interface CloudMinter {
  /** The cloud's key in the policy file ({@code aws}, {@code gcp}, {@code azure}), as audited. */
  String cloud();

  /** The cloud's own bounds on one credential's lifetime. */
  Lifetimes.CloudLimits limits();

  /**
   * A profile's target, which is this cloud's, in the cloud's own terms; {@code sources} are the
   * networks the profile allows, for clouds that can pin a credential to them.
   */
  MintTarget target(CloudTarget target, SourceNetworks sources);

  CompletableFuture<Credential> mint(MintOrder order);

  /** The cloud's console sign-in, where it has one. */
  default Optional<ConsoleSignIn> console() {
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
