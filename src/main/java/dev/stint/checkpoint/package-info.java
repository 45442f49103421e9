/**
 * Signed checkpoints of the audit chain's head: signing, the anchors outside the database (a
 * directory, S3, a webhook), verification against them, and the tamper watch.
 *
 * <p>With {@code sink}, it is the only importer of the S3 SDK.
 */
package dev.stint.checkpoint;
