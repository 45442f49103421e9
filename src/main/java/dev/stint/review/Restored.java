package dev.stint.review;

import dev.stint.access.EligibilityHolds;
import dev.stint.identity.Person;
import java.time.Instant;

/** A lifted suspension: whose, of which profile, the hold lifted, and when. */
public record Restored(String profile, Person person, EligibilityHolds.Hold hold, Instant at) {}
