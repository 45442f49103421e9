package dev.stint.policy;

import java.time.Duration;

/** Something people may request: one cloud target, who may ask, who approves, for how long. */
public record Profile(
    String name,
    String description,
    CloudTarget target,
    Duration maxDuration,
    Condition requesters,
    Approval approval,
    ReasonRule reason,
    boolean breakGlass) {}
