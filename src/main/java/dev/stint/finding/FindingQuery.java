package dev.stint.finding;

import dev.stint.policy.FindingRule;
import dev.stint.policy.FindingSeverity;
import java.time.Instant;
import java.util.Optional;

/** Findings raised since {@code since}, of {@code atLeast} or above, of {@code rule} if given. */
public record FindingQuery(Instant since, FindingSeverity atLeast, Optional<FindingRule> rule) {}
