package dev.stint.access;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a requester asks for, as parsed from the API, before any check; once checked, the asked part
 * of the stored {@link AccessRequest}.
 */
public record NewRequest(
    String profile,
    Duration duration,
    String reason,
    Optional<String> ticket,
    Optional<Instant> startsAt,
    boolean breakGlass) {}
