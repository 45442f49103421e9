package dev.stint.lease;

import dev.stint.access.AccessRequest;
import dev.stint.identity.Principal;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * An enrolled agent's asks as a chat's messages reach them (Slack's, through {@code app}, as {@code
 * extension.ExtensionMessages} does for extensions): read one to show it, and say whose vote would
 * count on it, to choose whom to send it to. A click decides through {@link Leasing#decide}, the
 * use case the routes and pages use, every refusal recorded.
 */
public interface LeaseMessages {
  /** Lease {@code leaseId} as it is now, for a message about it; nobody's rights are asked. */
  Future<Optional<Lease>> find(String leaseId);

  /**
   * Whether {@code p}'s vote would count on {@code lease} of {@code request} now, under the policy
   * in force, for people who are not at hand to sign in afresh; a vote is judged again when cast.
   */
  boolean couldApprove(Principal p, AccessRequest request, Lease lease);
}
