package dev.stint.policy;

import dev.stint.identity.Principal;
import java.util.Optional;

/**
 * Who made a request, as stored with it: enough to refuse self-approval without the requester's
 * token. {@code issuer} is the issuer URL.
 */
public record Requester(String issuer, String subject, Optional<String> email) {
  public static Requester of(Principal p) {
    return new Requester(p.issuer(), p.subject(), p.email());
  }

  /**
   * Possibly the same person: the same issuer and subject, or the same email from any issuer.
   * Only ever used to refuse (a requester approving their own request), never to allow.
   */
  boolean mightBe(Principal p) {
    boolean sameSubject = issuer.equals(p.issuer()) && subject.equals(p.subject());
    boolean sameEmail = email.isPresent() && p.email().isPresent()
        && email.get().equalsIgnoreCase(p.email().get());
    return sameSubject || sameEmail;
  }
}
