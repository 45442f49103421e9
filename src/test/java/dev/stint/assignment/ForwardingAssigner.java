package dev.stint.assignment;

import dev.stint.cloud.AccountAssignment;
import dev.stint.mint.Assigner;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link Assigner} that asks another; a test overrides the calls it changes, which hold for the
 * other's own endpoints (elsewhere, the other's assigner there answers).
 */
class ForwardingAssigner implements Assigner {
  private final Assigner inner;

  ForwardingAssigner(Assigner inner) {
    this.inner = inner;
  }

  @Override
  public Endpoints endpoints() {
    return inner.endpoints();
  }

  @Override
  public Assigner at(Endpoints endpoints) {
    return endpoints.equals(inner.endpoints()) ? this : inner.at(endpoints);
  }

  @Override
  public CompletableFuture<Optional<User>> user(AccountAssignment at, String userName) {
    return inner.user(at, userName);
  }

  @Override
  public CompletableFuture<Boolean> assigned(AccountAssignment at, String userId) {
    return inner.assigned(at, userId);
  }

  @Override
  public CompletableFuture<Step> create(AccountAssignment at, String userId) {
    return inner.create(at, userId);
  }

  @Override
  public CompletableFuture<Boolean> creating(AccountAssignment at, String userId) {
    return inner.creating(at, userId);
  }

  @Override
  public CompletableFuture<Step> creation(AccountAssignment at, String requestId) {
    return inner.creation(at, requestId);
  }

  @Override
  public CompletableFuture<Step> delete(AccountAssignment at, String userId) {
    return inner.delete(at, userId);
  }

  @Override
  public CompletableFuture<Step> deletion(AccountAssignment at, String requestId) {
    return inner.deletion(at, requestId);
  }

  @Override
  public CompletableFuture<Optional<String>> unrevocable(AccountAssignment at) {
    return inner.unrevocable(at);
  }

  @Override
  public CompletableFuture<Role> role(AccountAssignment at) {
    return inner.role(at);
  }
}
