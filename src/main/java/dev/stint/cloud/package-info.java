/**
 * What a profile's credentials are minted on: {@code CloudTarget}, sealed over one record per
 * cloud, and {@code Cloud}, each cloud's name typed by its record.
 *
 * <p>{@code AwsTarget} carries the session policy that narrows its role, {@code GcpTarget} its
 * optional access boundary, each filled with a request's parameter values when the profile declares
 * them, and {@code AzureTarget}; each checks at construction what its cloud's API refuses. Through
 * {@code Cloud} code meets a target as its own cloud's record (or not at all) without a cast, with
 * {@code CloudTarget.Visitor} under it.
 *
 * <p>It is the leaf both {@code policy} (which parses it) and {@code mint} (which mints on it)
 * import. It is not called {@code target}, which git would ignore as a build directory.
 */
package dev.stint.cloud;
