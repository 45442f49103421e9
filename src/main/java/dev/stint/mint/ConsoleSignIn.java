package dev.stint.mint;

import dev.stint.cloud.CloudTarget;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A cloud's console sign-in: a link that opens the cloud's web console as a credential minted for
 * it, typed as its {@link CloudMinter} is. The landing is checked before anything is minted, so a
 * refused link costs no credential.
 */
public interface ConsoleSignIn<T extends CloudTarget, C extends Credential> {
  /**
   * Where a link for {@code target} lands: a page (URL or path) and a region, both optional.
   *
   * @throws dev.stint.error.StintException an invalid request naming what the cloud refuses
   */
  Landing<C> landing(
      T target, String profile, Optional<String> destination, Optional<String> region);

  /** A checked landing, ready to sign in with the credential minted for it. */
  interface Landing<C extends Credential> {
    /** Fails with a {@link MintException}: invalid_request for a bad destination, else upstream. */
    CompletableFuture<Link> link(C credential);
  }

  /** The login URL; {@code sessionExpiresAt} ends the console session, {@code linkExpiresAt} it. */
  record Link(URI url, Instant sessionExpiresAt, Instant linkExpiresAt) {
    @Override
    public String toString() {
      // The URL carries a sign-in token: a logged link leaks nothing.
      return "Link[url=***, sessionExpiresAt="
          + sessionExpiresAt
          + ", linkExpiresAt="
          + linkExpiresAt
          + "]";
    }
  }
}
