package dev.stint.lease;

import dev.stint.identity.Person;
import java.util.Optional;

/** A lease asked for: its terms, and the agent's own identity when it names one. */
public record NewLease(LeaseTerms terms, Optional<Person> agent) {}
