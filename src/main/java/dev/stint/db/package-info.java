/**
 * Postgres for the server: the embedded one, the Flyway migrations, the async connection pool and
 * the LISTEN connections.
 *
 * <p>Every wait on the pool has a deadline, and a connection that stops answering is dropped with
 * what is queued on it. The embedded server takes passwords only, on loopback, with stint's roles
 * ({@code SchemaRoles}).
 *
 * <p>{@code KeysetCursor} is the text of a position in a list kept newest first, then by id, in the
 * microseconds Postgres keeps: what requests' and extensions' pages hand out as their cursor.
 */
package dev.stint.db;
