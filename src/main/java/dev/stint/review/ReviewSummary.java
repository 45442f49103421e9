package dev.stint.review;

/** A review without its items, with how far it is. */
public record ReviewSummary(Review review, ReviewProgress progress) {}
