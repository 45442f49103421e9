/**
 * {@code stint audit}: exporting the audit log a page at a time (JSON lines or CSV) and verifying
 * its chain against the signed checkpoints where they are kept.
 */
package dev.stint.cli.audit;
