package dev.stint.access;

import dev.stint.policy.FactValues;
import io.vertx.core.Future;

/**
 * The facts a request's approver rules read about a voter, for those who decide on a request
 * without going through {@link Decisions#decide} (its extensions): looked up before a decision, or
 * as known lately for what is only shown.
 */
public interface VoterFacts {
  /** None: every fact the rules read is unknown, and they fail closed. */
  VoterFacts NONE =
      new VoterFacts() {
        @Override
        public Future<FactValues> lookUp(Caller caller, String requestId) {
          return Future.succeededFuture(FactValues.NONE);
        }

        @Override
        public FactValues known(Caller caller, AccessRequest request) {
          return FactValues.NONE;
        }
      };

  /** Looks up what the approver rules of request {@code requestId} read about {@code caller}. */
  Future<FactValues> lookUp(Caller caller, String requestId);

  /** What is known lately about {@code caller} and {@code request}, without a lookup. */
  FactValues known(Caller caller, AccessRequest request);
}
