/**
 * Committed changes' side effects, made durable: written in the change's own transaction, one row
 * per {@code DurableListener} that wants it, delivered at least once by whichever replica claims
 * the row.
 *
 * <p>Claims are leased, with backoff, dead rows and turns across replicas. It knows a change only
 * as {@code Committed} and gets it back for delivery through the {@code OutboxWorker.Changes} port.
 */
package dev.stint.outbox;
