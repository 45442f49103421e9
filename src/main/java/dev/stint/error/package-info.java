/**
 * The stable error codes and the caller-safe {@code StintException}: a code and a detail that is
 * safe to show.
 *
 * <p>No HTTP status here: {@code http} maps the codes.
 */
package dev.stint.error;
