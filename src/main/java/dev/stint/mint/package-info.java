/**
 * The minting contract: {@code CloudMinter<T, C>}, implemented by one class per cloud on its own
 * target record {@code T} and credential {@code C}, paired with a profile's target by {@code
 * Minters}, without a cast.
 *
 * <p>A minter names its cloud's {@code Cloud}, gives its limits, mints on a {@code MintOrder},
 * signs in to the console ({@code ConsoleSignIn<T, C>}) and says what a revoke reaches ({@code
 * SessionRevoker}); its {@code Credential} says what the audit, the ledger and the caller get.
 * Lifetimes are capped here ({@code Lifetimes}); blocking SDK calls go through one seam ({@code
 * Blocking}); {@code CallSlots} is the port for turns at a cloud API whose rate limit replicas
 * share.
 *
 * <p>One sub-package per cloud ({@code mint.aws}, {@code mint.gcp}, {@code mint.azure}), the only
 * importers of their SDKs. It never imports {@code policy} ({@code CloudPackagesTest}): of a
 * profile it is handed only the target ({@code cloud}), never lifetimes or rules, and never the
 * server configuration.
 */
package dev.stint.mint;
