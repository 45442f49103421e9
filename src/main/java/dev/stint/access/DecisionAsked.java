package dev.stint.access;

import dev.stint.ledger.RevocationReach;
import dev.stint.policy.FactValues;
import dev.stint.policy.Policy;
import java.util.List;
import java.util.Optional;

/**
 * One decision, as asked: by whom, on which group and id, what, when, on which policy, for a
 * revoke, what its grant reached when it was read (for the {@code grant.revoked} event), and for a
 * vote, the facts looked up about the voter. {@link GroupDecision} applies it and {@link
 * AccessAudit} records it; neither needs the other to read it.
 */
record DecisionAsked(
    Caller caller,
    Group group,
    String id,
    Action action,
    Act act,
    Policy policy,
    Optional<Reached> reached,
    FactValues facts) {

  /** The requests one decision applies to: a bundle's, in order, or one request alone. */
  record Group(Optional<Bundles.Ref> bundle, List<String> requestIds) {
    static Group of(String id) {
      return new Group(Optional.empty(), List.of(id));
    }

    static Group of(Bundles.Ref bundle) {
      return new Group(Optional.of(bundle), bundle.requestIds());
    }
  }

  /** What a revoke's grant reached when it was read, before the row lock. */
  record Reached(String grantId, RevocationReach reach) {}
}
