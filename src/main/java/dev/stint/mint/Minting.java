package dev.stint.mint;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A profile's target with the minter of its cloud, paired once by {@link Minters#of} where their
 * types agree, so that the issuance pipeline mints and signs in without knowing, or casting to, the
 * cloud.
 */
public interface Minting {
  /** The cloud's key in the policy file, as audited. */
  String cloud();

  /** The cloud's own bounds on one credential's lifetime. */
  Lifetimes.CloudLimits limits();

  CompletableFuture<Credential> mint(MintOrder order);

  /**
   * A console sign-in landing on {@code destination} and {@code region}, checked now, before
   * anything is minted; empty when the cloud has no console sign-in.
   *
   * @throws dev.stint.error.StintException an invalid request naming what the cloud refuses
   */
  Optional<SignIn> signIn(String profile, Optional<String> destination, Optional<String> region);

  /**
   * A checked console landing that mints its own session and links that one: the link is made from
   * the session's keys, which only the minter that made them holds in its cloud's own type.
   */
  interface SignIn {
    CompletableFuture<Credential> mint(MintOrder order);

    /** The link for the session {@link #mint} made; called only once that succeeded. */
    CompletableFuture<ConsoleSignIn.Link> link();
  }
}
