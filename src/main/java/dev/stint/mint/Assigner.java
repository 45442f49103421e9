package dev.stint.mint;

import dev.stint.cloud.AccountAssignment;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A cloud's directory assignments, for profiles whose grant is an assignment rather than a minted
 * credential (IAM Identity Center's account assignments): finding the person's user, whether one is
 * assigned, and making and removing the assignment, which the cloud does asynchronously (each
 * change answers a request whose status is polled). Failures are {@link MintException}s: {@code
 * retryable} for a throttle, a conflicting change in progress or an outage; the caller decides how
 * often to ask again.
 */
public interface Assigner {
  /** Where a change stands: the cloud's request id, its state, and why it failed. */
  record Step(String requestId, State state, Optional<String> reason) {}

  /**
   * The role the cloud provisioned in the assignment's account for its permission set, whose
   * sessions the portal hands out, and where a deny of those sessions is written ({@code
   * denyTarget}: the cloud refuses every write to the role itself). Not how long the permission set
   * says its sessions last: that is today's, and a deny never goes by it.
   */
  record Role(String arn, String denyTarget) {}

  /**
   * A directory user: its id, and its user name as the directory writes it (which a session's
   * {@code aws:userid} carries, case and all), whatever case it was looked up by.
   */
  record User(String id, String userName) {}

  /**
   * Where the directory's APIs are reached: the region of the instance (its home region, where
   * assignments are made and removed), and each endpoint the deployment pointed elsewhere (empty:
   * the cloud's own for the region). An assignment records it when its grant starts, so every later
   * call about it goes where its creation went, whatever the configuration says by then.
   */
  record Endpoints(String region, Optional<URI> admin, Optional<URI> directory) {
    public Endpoints {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(admin, "admin");
      Objects.requireNonNull(directory, "directory");
    }
  }

  enum State {
    IN_PROGRESS,
    SUCCEEDED,
    FAILED
  }

  /** Where this assigner's calls go: what an assignment made now records. */
  Endpoints endpoints();

  /** An assigner whose calls go to {@code endpoints}, as an assignment recorded them. */
  Assigner at(Endpoints endpoints);

  /** The user named {@code userName} in the assignment's directory, as it matches names. */
  CompletableFuture<Optional<User>> user(AccountAssignment at, String userName);

  /** Whether {@code userId} holds the assignment now (by anyone's hand). */
  CompletableFuture<Boolean> assigned(AccountAssignment at, String userId);

  CompletableFuture<Step> create(AccountAssignment at, String userId);

  /**
   * Whether the cloud is still making the assignment for {@code userId}, by anyone's request: one
   * whose request id was never recorded (the call's answer lost) may yet appear, while with none in
   * progress and none listed ({@link #assigned}) nothing was or will be made.
   */
  CompletableFuture<Boolean> creating(AccountAssignment at, String userId);

  CompletableFuture<Step> creation(AccountAssignment at, String requestId);

  CompletableFuture<Step> delete(AccountAssignment at, String userId);

  CompletableFuture<Step> deletion(AccountAssignment at, String requestId);

  /**
   * Why a revoke could not end the sessions the assignment would give (its permission set does not
   * have the cloud attach the policy stint's deny is written to), or empty when it could. Fails
   * with a {@link MintException} when the cloud cannot say.
   */
  CompletableFuture<Optional<String>> unrevocable(AccountAssignment at);

  /**
   * The permission set's provisioned role in the assignment's account. Fails with a lasting {@link
   * MintException} naming the account and permission set when there is none (nothing was ever
   * provisioned there, or the cloud removed it with the permission set's last assignment there:
   * code {@code NOT_FOUND}) or the account is out of reach.
   */
  CompletableFuture<Role> role(AccountAssignment at);
}
