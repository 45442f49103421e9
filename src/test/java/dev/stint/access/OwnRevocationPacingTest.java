package dev.stint.access;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.access.RevocationPace.Paced;
import dev.stint.error.ErrorCode;
import dev.stint.error.RetryLater;
import dev.stint.identity.Principal;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPolicies;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a person's revoke of their own grant is paced: from every route (the API's revoke and the
 * pages' and Slack's decide alike), only for the holder as (issuer, subject) and never for someone
 * who merely shares their email, and one revoke of a person at a time, so that revokes sent at once
 * cannot all read the count before any committed.
 */
class OwnRevocationPacingTest {
  static AccessRig rig;
  static AccessRig.Replica replica;
  static final List<String> asked = new CopyOnWriteArrayList<>();

  /** Every holder's own revoke must wait: the wiring, not the ledger's count, is under test. */
  static final RevocationPace ALWAYS =
      new RevocationPace() {
        @Override
        public Future<Optional<Paced>> of(Grant grant, Instant now) {
          asked.add(grant.id());
          return Future.succeededFuture(
              Optional.of(new RevocationPace.Paced(Duration.ofMinutes(59), "too many of yours")));
        }

        @Override
        public Future<Optional<Paced>> ofLease(String leaseId, Instant now) {
          asked.add(leaseId);
          return Future.succeededFuture(
              Optional.of(new RevocationPace.Paced(Duration.ofMinutes(59), "too many of yours")));
        }
      };

  @BeforeAll
  static void start(@TempDir Path policyDir) throws Exception {
    rig = new AccessRig(policyDir, TestPolicies::requests);
    replica = rig.replica();
    replica.access().pace(ALWAYS);
  }

  @AfterAll
  static void stop() throws Exception {
    rig.close();
  }

  static AccessRequest sandboxGrant(Caller holder) throws Exception {
    return await(
        replica
            .access()
            .requests()
            .create(
                holder,
                new NewRequest(
                    "sandbox",
                    Duration.ofMinutes(30),
                    "",
                    Optional.empty(),
                    Optional.empty(),
                    false)));
  }

  @Test
  void theHoldersRevokeThroughThePagesDecideIsPacedAndTheGrantStands() throws Exception {
    Caller holder = rig.caller("paced-pages", "oncall");
    AccessRequest approved = sandboxGrant(holder);

    assertThatThrownBy(
            () ->
                await(
                    replica
                        .access()
                        .decisions()
                        .decide(holder, approved.id(), Action.REVOKE, Optional.empty())))
        .cause()
        .isInstanceOf(RetryLater.class)
        .satisfies(e -> assertThat(((RetryLater) e).code()).isEqualTo(ErrorCode.REVOCATIONS_PACED));
    assertThat(
            AuditTables.count(
                rig.url, "type = 'request.revoke_paced' AND request_id = '" + approved.id() + "'"))
        .isEqualTo(1);
    assertThat(
            await(replica.access().requests().get(holder, approved.id()))
                .grant()
                .orElseThrow()
                .revocation())
        .as("the grant stands")
        .isEmpty();
  }

  /**
   * An admin whose token carries the holder's email (any issuer may say any email) is someone else:
   * their revoke is never paced, so nobody can slow an admin's revoke of their grant.
   */
  @Test
  void anAdminSharingTheHoldersEmailIsNotPaced() throws Exception {
    Caller holder = rig.caller("paced-holder", "oncall");
    AccessRequest approved = sandboxGrant(holder);
    Caller admin = withEmail(rig.caller("admin-same-mail", "platform"), "paced-holder@example.com");

    AccessRequest revoked =
        await(
            replica
                .access()
                .decisions()
                .decide(admin, approved.id(), Action.REVOKE, Optional.empty()));

    assertThat(revoked.grant().orElseThrow().revocation()).isPresent();
    assertThat(asked).doesNotContain(approved.grant().orElseThrow().id());
  }

  @Test
  void aPersonsRevokesRunOneAtATime() throws Exception {
    RevokeTurns turns = new RevokeTurns();
    Caller person = rig.caller("turns", "oncall");
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Promise<Void>> held = new CopyOnWriteArrayList<>();
    List<Future<Void>> all = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      all.add(
          turns.inTurn(
              person.person(),
              () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                Promise<Void> p = Promise.promise();
                held.add(p);
                return p.future().onComplete(x -> running.decrementAndGet());
              }));
    }
    for (int i = 0; i < 3; i++) {
      assertThat(held).as("only the revoke in turn has started").hasSize(i + 1);
      held.get(i).complete();
    }
    assertThat(Future.all(all).succeeded()).isTrue();
    assertThat(most.get()).isEqualTo(1);
  }

  private static Caller withEmail(Caller c, String email) {
    Principal p = c.principal();
    return new Caller(
        new Principal(
            p.issuerName(),
            p.issuer(),
            p.subject(),
            Optional.of(email),
            p.groups(),
            Map.of("email", email, "email_verified", true),
            p.tokenExpiresAt(),
            Optional.empty()),
        Optional.of("127.0.0.1"),
        Optional.of("test"));
  }
}
