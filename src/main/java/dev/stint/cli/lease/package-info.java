/**
 * {@code stint lease}: task leases from the command line (create, list, show, activity, revoke, and
 * the votes on one), and the AWS profile whose {@code credential_process} mints on a lease's token
 * file.
 */
package dev.stint.cli.lease;
