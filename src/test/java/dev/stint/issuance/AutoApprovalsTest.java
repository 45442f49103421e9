package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.Grant;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.common.ParameterValues;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The coalescing alone, with a "database" of one grant and futures the test completes in the order
 * it wants, so each interleaving is exact rather than hoped for.
 */
class AutoApprovalsTest {
  private static final AutoApprovals.Key OLIVE =
      new AutoApprovals.Key("https://idp", "olive", "sandbox", ParameterValues.NONE);
  private static final Grant GRANT =
      new Grant(
          "g-1",
          "r-1",
          "sandbox",
          new Person("https://idp", "olive", Optional.empty()),
          Instant.EPOCH,
          Instant.EPOCH.plusSeconds(3600),
          false,
          Optional.empty(),
          Optional.empty(),
          Narrowed.NONE);

  private final AutoApprovals approvals = new AutoApprovals();
  private final AtomicReference<Grant> committed = new AtomicReference<>();
  private final AtomicInteger opened = new AtomicInteger();

  private Future<Optional<Grant>> look() {
    return Future.succeededFuture(Optional.ofNullable(committed.get()));
  }

  /** Opens a request whose commit the test decides on. */
  private Future<Grant> openHeld(Promise<Grant> commit) {
    opened.incrementAndGet();
    return commit.future().onSuccess(committed::set);
  }

  private Future<Grant> openAtOnce() {
    opened.incrementAndGet();
    committed.set(GRANT);
    return Future.succeededFuture(GRANT);
  }

  @Test
  void callsDuringAnAutoApprovalWaitForItAndOpenNothing() {
    Promise<Grant> commit = Promise.promise();
    Future<Grant> first = approvals.grant(OLIVE, this::look, () -> openHeld(commit));
    Future<Grant> second = approvals.grant(OLIVE, this::look, this::openAtOnce);
    Future<Grant> third = approvals.grant(OLIVE, this::look, this::openAtOnce);
    assertThat(second.isComplete()).isFalse();

    commit.complete(GRANT);

    assertThat(first.result()).isEqualTo(GRANT);
    assertThat(second.result()).isEqualTo(GRANT);
    assertThat(third.result()).isEqualTo(GRANT);
    assertThat(opened).hasValue(1);
    assertThat(approvals.underWay()).isZero();
  }

  /**
   * The race CI once hit: a call looked (no grant), and before it registered another call's whole
   * auto-approval ran and finished. Registering, it must look again rather than open.
   */
  @Test
  void aCallWhoseLookPredatesAFinishedAutoApprovalFindsItsGrant() {
    Future<Grant> earlier = approvals.grant(OLIVE, this::look, this::openAtOnce);
    assertThat(earlier.result()).isEqualTo(GRANT);
    assertThat(approvals.underWay()).isZero();

    Future<Grant> late = approvals.grant(OLIVE, this::look, this::openAtOnce);

    assertThat(late.result()).isEqualTo(GRANT);
    assertThat(opened).hasValue(1);
  }

  @Test
  void whenTheAutoApprovalFailsAWaiterOpensItsOwnAndALaterCallMayRegisterAgain() {
    Promise<Grant> commit = Promise.promise();
    Future<Grant> first = approvals.grant(OLIVE, this::look, () -> openHeld(commit));
    Future<Grant> waiter = approvals.grant(OLIVE, this::look, this::openAtOnce);

    commit.fail(new IllegalStateException("database down"));

    assertThat(first.cause()).isInstanceOf(IllegalStateException.class).hasMessage("database down");
    assertThat(waiter.result()).isEqualTo(GRANT);
    assertThat(opened).hasValue(2);
    assertThat(approvals.underWay()).isZero();
  }

  @Test
  void differentPeopleAndProfilesDoNotWaitForEachOther() {
    Promise<Grant> commit = Promise.promise();
    approvals.grant(OLIVE, this::look, () -> openHeld(commit));
    AtomicReference<Grant> none = new AtomicReference<>();
    Future<Grant> otherProfile =
        approvals.grant(
            new AutoApprovals.Key("https://idp", "olive", "staging", ParameterValues.NONE),
            () -> Future.succeededFuture(Optional.ofNullable(none.get())),
            this::openAtOnce);
    Future<Grant> otherPerson =
        approvals.grant(
            new AutoApprovals.Key("https://idp", "oscar", "sandbox", ParameterValues.NONE),
            () -> Future.succeededFuture(Optional.ofNullable(none.get())),
            this::openAtOnce);

    assertThat(otherProfile.succeeded()).isTrue();
    assertThat(otherPerson.succeeded()).isTrue();
    assertThat(approvals.underWay()).isEqualTo(1);
    commit.complete(GRANT);
    assertThat(approvals.underWay()).isZero();
  }
}
