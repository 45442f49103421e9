/**
 * The audit log: fail-closed, group-committed and hash-chained, with its queries and live stream.
 *
 * <p>An append that cannot be recorded fails its caller. Rows of other packages are written in
 * their event's transaction through the hook this package defines ({@code EventRows}), without
 * knowing what they are. The table's months as its schema owner sees them ({@code
 * AuditTableMonths}: which there are, where the chain starts, a month detached or attached again)
 * are for {@code retention}.
 */
package dev.stint.audit;
