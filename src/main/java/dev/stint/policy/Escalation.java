package dev.stint.policy;

import java.time.Duration;

/**
 * Who else may decide a request that has waited: once a pending request is {@code after} old,
 * people satisfying {@code to} (an approver rule, with the same variables as {@code approvers}) may
 * approve and deny it as approvers do.
 */
public record Escalation(Duration after, Condition to) {}
