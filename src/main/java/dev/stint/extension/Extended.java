package dev.stint.extension;

import java.time.Instant;
import java.util.Optional;

/** An extension, and the end of its grant after the change. */
public record Extended(Extension extension, Optional<Instant> grantEndsAt) {}
