/**
 * The audit table's months: partitions kept ahead of the clock, and {@code audit.retention}.
 *
 * <p>A month is exported to the anchors, read back, kept until every sink has delivered it ({@code
 * sink.SinkCursors}), then detached through {@code audit.AuditTableMonths} and dropped as the
 * schema owner.
 */
package dev.stint.retention;
