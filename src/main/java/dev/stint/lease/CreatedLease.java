package dev.stint.lease;

import java.util.Optional;

/** A lease made, with its token when it has one: shown this once, never again readable. */
public record CreatedLease(Lease lease, Optional<String> token) {}
