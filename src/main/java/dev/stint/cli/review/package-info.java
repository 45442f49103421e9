/**
 * {@code stint access-review}: listing and showing reviews, deciding to keep or remove each person,
 * exporting the record; admins open reviews and restore eligibility.
 */
package dev.stint.cli.review;
