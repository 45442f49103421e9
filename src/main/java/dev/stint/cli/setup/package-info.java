/**
 * {@code stint setup}: writing the caller's AWS config, a profile per stint profile (and per
 * narrowed grant), each with {@code credential_process} calling {@code stint}.
 */
package dev.stint.cli.setup;
