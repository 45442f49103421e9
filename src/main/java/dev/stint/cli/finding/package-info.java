/**
 * {@code stint findings}: what the finding rules flagged (docs/findings.md), for a request, a task
 * lease, or everyone's since a time.
 */
package dev.stint.cli.finding;
