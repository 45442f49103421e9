package dev.stint.extension;

import dev.stint.access.AccessRequest;
import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.identity.Principal;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Extensions as a chat's messages reach them (Slack's, through {@code app}): read one to show it,
 * say whose vote would count on it to choose whom to send it to, and decide one on a click, by the
 * use case the routes and pages use, every refusal recorded.
 */
public interface ExtensionMessages {
  /**
   * Extension {@code extensionId} with its request, as of one moment (never an approved extension
   * beside its grant's old end), for a message about it; nobody's rights are asked.
   */
  Future<Optional<ExtensionSeen>> find(String extensionId);

  /**
   * Whether {@code p}'s vote would count on {@code e} under the policy in force: as {@link
   * Extensions#mayDecide}, for people who are not at hand to sign in afresh; a click asks again.
   */
  boolean couldApprove(Principal p, AccessRequest request, Extension e);

  /** Approve or deny it for {@code caller}, as {@link Extensions#decide} does, without comment. */
  Future<Extended> decide(Caller caller, String extensionId, Action action);
}
