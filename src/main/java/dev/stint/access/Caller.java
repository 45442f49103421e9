package dev.stint.access;

import dev.stint.audit.AuditEvent;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import java.util.Optional;

/** Who is calling, as verified, and from where (for the audit). */
public record Caller(
    Principal principal, Optional<String> clientAddress, Optional<String> userAgent) {

  public Person person() {
    return principal.person();
  }

  /** An audit event by this caller. */
  public AuditEvent.Builder event(String type) {
    return stamp(AuditEvent.builder(type));
  }

  /** Names this caller as the event's actor and client: the one place that is written. */
  public AuditEvent.Builder stamp(AuditEvent.Builder event) {
    return event
        .actor(principal.issuer(), principal.subject(), principal.email().orElse(null))
        .client(clientAddress.orElse(null), userAgent.orElse(null));
  }
}
