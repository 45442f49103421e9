/**
 * JSON log lines, and the per-request id carried on the Vert.x context (not in a thread-local: an
 * event loop interleaves the callbacks of many requests).
 */
package dev.stint.log;
