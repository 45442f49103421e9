package dev.stint.policy;

import java.util.concurrent.atomic.AtomicReference;

/** The policy in force; replaced whole, never edited, so readers need no lock. */
public final class PolicyInForce {
  private final AtomicReference<Policy> current;

  public PolicyInForce(Policy initial) {
    this.current = new AtomicReference<>(initial);
  }

  public Policy current() {
    return current.get();
  }

  /** An evaluator over the policy in force right now. */
  public PolicyEvaluator evaluator() {
    return new PolicyEvaluator(current());
  }

  public void replace(Policy policy) {
    current.set(policy);
  }
}
