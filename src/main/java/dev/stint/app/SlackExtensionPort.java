package dev.stint.app;

import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.Vote;
import dev.stint.extension.Extension;
import dev.stint.extension.ExtensionMessages;
import dev.stint.extension.ExtensionSeen;
import dev.stint.identity.Directory;
import dev.stint.identity.Person;
import dev.stint.notify.slack.SlackApprovers;
import dev.stint.notify.slack.SlackExtension;
import dev.stint.notify.slack.SlackExtensionDecisions;
import dev.stint.people.StoredClaims;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Slack's port to extensions, over the messages' port of {@code extension} ({@link
 * ExtensionMessages}): reads one with its request, both as of one moment (the extension's state
 * beside the grant's end it moved), says whose vote would count on it ({@link
 * ExtensionMessages#couldApprove}), and decides one through {@link ExtensionMessages#decide}, the
 * use case the web and the API use.
 */
final class SlackExtensionPort implements SlackExtensionDecisions {
  private final ExtensionMessages service;
  private final PolicyInForce policies;
  private final Directory directory;

  SlackExtensionPort(ExtensionMessages service, PolicyInForce policies, Directory directory) {
    this.directory = directory;
    this.service = service;
    this.policies = policies;
  }

  @Override
  public Future<Optional<SlackExtension>> find(String extensionId) {
    return locate(extensionId)
        .map(
            found ->
                found.map(
                    l ->
                        new SlackExtension(
                            l.extension().id(),
                            l.request(),
                            asked(l.extension()),
                            standing(l.extension()))));
  }

  @Override
  public Future<SlackApprovers.Counts> voters(String extensionId) {
    return locate(extensionId)
        .map(
            found ->
                found
                    .<SlackApprovers.Counts>map(
                        l ->
                            (stored, issuer, subject) ->
                                StoredClaims.principal(
                                        stored,
                                        issuer,
                                        subject,
                                        policies.current()::issuer,
                                        directory)
                                    .filter(
                                        p -> service.couldApprove(p, l.request(), l.extension()))
                                    .isPresent())
                    .orElse(SlackApprovers.Counts.NOBODY));
  }

  private Future<Optional<ExtensionSeen>> locate(String extensionId) {
    return service.find(extensionId);
  }

  @Override
  public Future<Void> decide(Caller caller, String extensionId, Action action) {
    return service.decide(caller, extensionId, action).mapEmpty();
  }

  private static SlackExtension.Asked asked(Extension e) {
    return new SlackExtension.Asked(e.requester(), e.duration(), e.reason(), e.approvalsRequired());
  }

  /** Who decided: the last vote's approver, or the asker for a cancellation; nobody otherwise. */
  private static SlackExtension.Standing standing(Extension e) {
    List<Vote> votes = e.votes();
    Optional<Person> by =
        switch (e.state()) {
          case APPROVED, DENIED ->
              votes.isEmpty()
                  ? Optional.empty()
                  : Optional.of(votes.get(votes.size() - 1).approver());
          case CANCELLED -> Optional.of(e.requester());
          default -> Optional.empty();
        };
    return new SlackExtension.Standing(e.state().code(), e.approvalCount(), by);
  }
}
