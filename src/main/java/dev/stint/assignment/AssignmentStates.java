package dev.stint.assignment;

import io.vertx.core.Future;
import java.util.Optional;

/** Where a grant's account assignment stands, for the request's JSON (held by {@code http}). */
public interface AssignmentStates {
  /** Empty for a grant that has no assignment (a role's grant, or none made yet). */
  Future<Optional<AssignmentState>> of(String grantId);
}
