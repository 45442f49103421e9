/**
 * {@code stint policy}: checking a policy directory, running its test cases, and {@code explain} of
 * what a token's claims allow for a profile and why, on the caller's machine from the policy files.
 */
package dev.stint.cli.policy;
