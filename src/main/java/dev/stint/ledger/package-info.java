/**
 * The credentials ledger: one row per credential handed out, what became of each, and what
 * revocation and the pages read of a grant's credentials.
 *
 * <p>A row is added by the audit log in the transaction of its {@code credential.issued} event,
 * through the hook {@code audit} defines ({@code LedgerRows}, its {@code audit.EventRows}); what
 * became of it is written by this package's own statements. No other package's SQL writes the table
 * ({@code TableOwnershipTest}).
 */
package dev.stint.ledger;
