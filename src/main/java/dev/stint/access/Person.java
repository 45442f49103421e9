package dev.stint.access;

import java.util.Optional;

/**
 * Someone who takes part in a request: the requester, an approver, a revoker. Identity is the
 * (issuer, subject) pair; the email is for people reading notifications and tables.
 */
public record Person(String issuer, String subject, Optional<String> email) {

  /** The same identity, whatever the email claim says today. */
  public boolean sameAs(Person other) {
    return issuer.equals(other.issuer) && subject.equals(other.subject);
  }

  public String display() {
    return email.orElse(subject);
  }
}
