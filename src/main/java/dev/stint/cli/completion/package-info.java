/**
 * Shell completion for {@code stint}: the scripts for each shell, and the completions of names
 * (profiles, requests) from a short-lived cache of the server's answers.
 */
package dev.stint.cli.completion;
