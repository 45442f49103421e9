package dev.stint.access;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.db.Database;
import dev.stint.identity.Directory;
import dev.stint.identity.Principal;
import dev.stint.people.PeopleSeen;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.testing.Patience;
import dev.stint.testing.PolicyFixtures;
import dev.stint.testing.Requests;
import dev.stint.testing.TestPostgres;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who can approve is worked out on a worker thread: asked from an event loop, the answer comes back
 * on the asker's context, and judging on an event loop itself is refused.
 */
class ApproversOffLoopTest {
  static final Policy POLICY =
      PolicyFixtures.load(
          """
      issuers:
        corp: {issuer: https://login.example.com, audience: stint}
      profiles:
        prod:
          aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "leads")'}
      """);
  static final Principal ALICE =
      PolicyFixtures.person("alice", "alice@example.com", List.of("eng"));
  static final Principal CAROL =
      PolicyFixtures.person("carol", "carol@example.com", List.of("leads"));
  static final Principal BOB = PolicyFixtures.person("bob", "bob@example.com", List.of("eng"));

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private Approvers approvers() throws Exception {
    Database db = Database.connect(vertx, TestPostgres.migratedDatabase(), 2);
    PeopleSeen seen = new PeopleSeen(db.pool(), Clock.systemUTC());
    for (Principal p : List.of(ALICE, CAROL, BOB)) {
      await(seen.signedIn(p));
    }
    return new Approvers(vertx, seen, new PolicyInForce(POLICY), Directory.NONE, Clock.systemUTC());
  }

  private static AccessRequest alicesPending() {
    Instant now = Instant.now();
    return Requests.pending("req-1")
        .profile("prod")
        .requester(ALICE.person())
        .reason("INC-1")
        .duration(Duration.ofHours(1))
        .at(now)
        .build();
  }

  record Answer(AsyncResult<List<Approvers.Candidate>> result, boolean onCallersContext) {}

  @Test
  void askedFromAnEventLoopTheAnswerComesBackOnItsContext() throws Exception {
    Approvers approvers = approvers();
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<Answer> got = new CompletableFuture<>();

    caller.runOnContext(
        v ->
            approvers
                .of(alicesPending())
                .onComplete(
                    done -> got.complete(new Answer(done, Vertx.currentContext() == caller))));

    Answer answer = got.get(Patience.seconds(30), TimeUnit.MILLISECONDS);
    assertThat(answer.result().succeeded()).as(String.valueOf(answer.result().cause())).isTrue();
    assertThat(answer.result().result())
        .extracting(c -> c.person().subject())
        .containsExactly("carol");
    assertThat(answer.onCallersContext()).isTrue();
  }

  @Test
  void judgingOnAnEventLoopIsRefused() throws Exception {
    Approvers approvers = approvers();
    CompletableFuture<Throwable> got = new CompletableFuture<>();

    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              try {
                approvers.judge(List.of(alicesPending()), List.of(), Instant.now());
                got.complete(null);
              } catch (RuntimeException e) {
                got.complete(e);
              }
            });

    assertThat(got.get(Patience.seconds(30), TimeUnit.MILLISECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("off the event loop");
  }
}
