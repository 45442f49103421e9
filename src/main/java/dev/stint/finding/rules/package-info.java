/**
 * The finding rules, pure and deterministic: plain Java over records, no I/O, no clock. A batch of
 * calls is judged in order against a {@link dev.stint.finding.rules.History} of what came before,
 * which each call then joins ({@link dev.stint.finding.rules.Evaluation}).
 */
package dev.stint.finding.rules;
