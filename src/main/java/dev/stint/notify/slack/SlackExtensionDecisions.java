package dev.stint.notify.slack;

import dev.stint.access.Action;
import dev.stint.access.Caller;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * The narrow port Slack needs of extensions, so notify does not depend on the extension package:
 * read one as it is now, say whose vote would count on it, and decide one by the extension
 * service's own use case (the approver rule, no self-approval, one vote per approver, its audit).
 */
public interface SlackExtensionDecisions {
  /** The extension as it is now; empty when there is none of that id. */
  Future<Optional<SlackExtension>> find(String extensionId);

  /**
   * Who could cast a vote that counts on it now, by the extension's own rule (never its asker, nor
   * one who voted on it), judged on a Slack link's stored claims; nobody once it no longer waits,
   * or when there is none of that id. For choosing whom to send it to: a click is judged again.
   */
  Future<SlackApprovers.Counts> voters(String extensionId);

  /** Approve or deny it for {@code caller}; a refusal fails with the service's StintException. */
  Future<Void> decide(Caller caller, String extensionId, Action action);

  /** A server without extensions in Slack: finds none, so every click on one is refused. */
  SlackExtensionDecisions NONE =
      new SlackExtensionDecisions() {
        @Override
        public Future<Optional<SlackExtension>> find(String extensionId) {
          return Future.succeededFuture(Optional.empty());
        }

        @Override
        public Future<SlackApprovers.Counts> voters(String extensionId) {
          return Future.succeededFuture(SlackApprovers.Counts.NOBODY);
        }

        @Override
        public Future<Void> decide(Caller caller, String extensionId, Action a) {
          return Future.failedFuture(new IllegalStateException("extensions are not decided here"));
        }
      };
}
