package dev.stint.policy;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The policies currently in force; replaced whole, never edited, so readers need no lock. */
public final class PolicyStore {
  private final AtomicReference<Policies> current = new AtomicReference<>();

  public Optional<Policies> current() {
    return Optional.ofNullable(current.get());
  }

  public void replace(Policies policies) {
    current.set(policies);
  }
}
