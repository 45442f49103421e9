package dev.stint.review;

import dev.stint.identity.Person;
import dev.stint.review.ReviewItem.Choice;
import java.util.Optional;

/** One item as a reviewer decides it: whose, keep or remove, and the reviewer's comment. */
public record ReviewerChoice(Person person, Choice choice, Optional<String> comment) {}
