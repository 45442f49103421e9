package dev.stint.policy;

import java.util.Optional;

/**
 * How many distinct approvers a request needs ({@code count} is at least 1), who may approve,
 * and when a request is approved without anyone ({@code autoApprove}).
 */
public record Approval(int count, Condition approvers, Optional<Condition> autoApprove) {}
