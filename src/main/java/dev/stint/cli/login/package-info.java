/**
 * {@code stint login}, {@code logout} and {@code whoami}: signing in to the identity provider (the
 * browser flow on a loopback listener, or the device flow) and the tokens kept for it.
 */
package dev.stint.cli.login;
