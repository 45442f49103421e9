/**
 * The audit sinks: every event delivered in order, at least once, from a cursor per sink
 * (CloudEvents, OCSF, Splunk HEC, S3 JSONL), and how far each has delivered, for {@code retention}
 * ({@code SinkCursors}).
 *
 * <p>It imports the CloudEvents SDK and, with {@code checkpoint}, the S3 SDK.
 */
package dev.stint.sink;
