package dev.stint.access;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.policy.Decision;
import java.util.Optional;

/** What applying an action to a request gives: a change to store, or a refusal to report. */
sealed interface Transition {

  /**
   * The request after the action. {@code eventType} names the audit event; {@code vote} is the vote
   * to insert, if the action cast one; the request's grant is the one to insert or update.
   */
  record Changed(AccessRequest request, RequestState from, String eventType, Optional<Vote> vote)
      implements Transition {}

  /** Nothing changes; {@code reason} is safe to show the caller. */
  record Refused(ErrorCode code, String reason) implements Transition {
    /**
     * A policy's "no" as a refusal to record, raised through {@link Decision#refusal} (the one
     * mapping of a may-rule's answer to {@code forbidden}).
     */
    static Refused of(Decision no) {
      StintException refusal = no.refusal();
      return new Refused(refusal.code(), refusal.detail());
    }
  }
}
