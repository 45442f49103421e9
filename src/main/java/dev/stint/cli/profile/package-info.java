/**
 * {@code stint profile suggest}: a profile's right-sized session policy from its own allowed calls
 * (docs/policies.md), as a table, the server's JSON, or a {@code session_policy} block for the
 * policy file.
 */
package dev.stint.cli.profile;
