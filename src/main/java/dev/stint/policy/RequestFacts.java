package dev.stint.policy;

import java.time.Duration;
import java.util.Optional;

/** What a person asks for, as the policy sees it (the profile is passed separately). */
public record RequestFacts(
    Duration duration, Optional<String> reason, Optional<String> ticket, boolean breakGlass) {}
