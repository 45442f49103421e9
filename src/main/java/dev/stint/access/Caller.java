package dev.stint.access;

import dev.stint.identity.Principal;
import java.util.Optional;

/** Who is calling, as verified, and from where (for the audit). */
public record Caller(Principal principal, Optional<String> clientAddress,
    Optional<String> userAgent) {

  public Person person() {
    return new Person(principal.issuer(), principal.subject(), principal.email());
  }
}
