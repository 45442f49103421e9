package dev.stint.identity;

import java.util.Optional;

/**
 * Someone who takes part in a request: the requester, an approver, a revoker. A person is the
 * (issuer, subject) pair, {@code issuer} being the issuer's URL; the email is for people reading
 * notifications and tables.
 *
 * <p>Two questions, kept apart because they fail in opposite directions: {@link #is} grants rights
 * (seeing, cancelling, revoking, extending one's own request), so only the verified (issuer,
 * subject) answers it; {@link #mightBe} only ever refuses (self-approval, a second vote), so it may
 * also be answered by an email — a claim any issuer can make about anyone, which is harmless when
 * all it can do is take a right away.
 */
public record Person(String issuer, String subject, Optional<String> email) {

  /** The same person: the same issuer and subject. The only sameness that grants a right. */
  public boolean is(Person other) {
    return issuer.equals(other.issuer) && subject.equals(other.subject);
  }

  /**
   * Possibly the same person: the same (issuer, subject), or the same email (ignoring case) from
   * any issuer, verified or not, so someone signed in through a second identity provider still
   * cannot approve their own request. Use it only to refuse, never to allow.
   */
  public boolean mightBe(Person other) {
    return is(other) || sameEmail(email, other.email);
  }

  /** How to name this person to people: the email when known, else the subject. */
  public String display() {
    return email.orElse(subject);
  }

  /**
   * Both present and equal ignoring case, character by character with Unicode case rules: a looser
   * match than any mail system's, which is the safe side for a check that only refuses.
   */
  private static boolean sameEmail(Optional<String> a, Optional<String> b) {
    return a.isPresent() && b.isPresent() && a.get().equalsIgnoreCase(b.get());
  }
}
