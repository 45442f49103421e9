/**
 * {@code stint admin} and {@code stint report}: the outbox for administrators (its dead entries,
 * delivered again on demand) and the auditors' reports (grants never used, who may request and
 * approve).
 */
package dev.stint.cli.admin;
