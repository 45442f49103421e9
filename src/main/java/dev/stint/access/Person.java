package dev.stint.access;

import java.util.Optional;

/**
 * Someone who takes part in a request: the requester, an approver, a revoker. Identity is the
 * (issuer, subject) pair; the email is for people reading notifications and tables.
 */
public record Person(String issuer, String subject, Optional<String> email) {

  /**
   * The same person: the same (issuer, subject), or the same email from any issuer — so someone
   * signed in through a second identity provider still cannot approve their own request.
   */
  public boolean sameAs(Person other) {
    boolean sameSubject = issuer.equals(other.issuer) && subject.equals(other.subject);
    boolean sameEmail = email.isPresent() && other.email.isPresent()
        && email.get().equalsIgnoreCase(other.email.get());
    return sameSubject || sameEmail;
  }

  public String display() {
    return email.orElse(subject);
  }
}
