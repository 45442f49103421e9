/**
 * The credentials ledger: one row per credential handed out, what became of each, and what
 * revocation and the pages read of a grant's credentials.
 *
 * <p>A row is added by the audit log in the transaction of its {@code credential.issued} event,
 * through the hook {@code audit} defines ({@code LedgerRows}, its {@code audit.EventRows}); what
 * became of it is written by this package's own statements. No other package's SQL writes the table
 * ({@code TableOwnershipTest}).
 *
 * <p>What revoking a grant reaches is read here ({@code LedgerReach}) into a pure answer ({@code
 * RevocationReach}: the credentials still valid by cloud and target, the roles a deny must name,
 * and the sentence a revoke answers with), for {@code access}'s revoke, {@code revocation}'s status
 * and the pages; what a revoked grant's or lease's deny must still reach, and the room its holder's
 * other revoked entries take, is read apart ({@code DeniableSessions}).
 */
package dev.stint.ledger;
