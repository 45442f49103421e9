package dev.stint.access;

import dev.stint.identity.Person;
import dev.stint.policy.FactContext;
import java.util.List;
import java.util.Optional;

/** A decision's person and request in the terms the fact providers are told them. */
final class FactContexts {
  private FactContexts() {}

  /** {@code about}, with {@code groups} when a token is at hand, and {@code request}. */
  static FactContext of(
      Person about, Optional<List<String>> groups, Optional<FactContext.Asked> request) {
    return new FactContext(
        new FactContext.Who(about.issuer(), about.subject(), about.email(), groups), request);
  }

  /** A request being made: it has no id yet. */
  static FactContext.Asked asked(NewRequest r) {
    return new FactContext.Asked(
        Optional.empty(), r.profile(), r.reason(), r.ticket(), r.duration());
  }

  /** A request made. */
  static FactContext.Asked asked(AccessRequest r) {
    return new FactContext.Asked(
        Optional.of(r.id()), r.profile(), r.reason(), r.ticket(), r.duration());
  }
}
