package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Requests.Cursor;
import dev.stint.access.Requests.Filter;
import dev.stint.access.Requests.Page;
import dev.stint.access.Transition.Changed;
import dev.stint.common.Ids;
import dev.stint.common.ParameterValues;
import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.testing.HeldTable;
import dev.stint.testing.Patience;
import dev.stint.testing.Requests;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AccessStoreTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static Vertx vertx;
  static DatabaseUrl url;
  static Database db;
  static AccessStore store;
  final Ids ids = new Ids();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    url = TestPostgres.migratedDatabase();
    db = Database.connect(vertx, url, 16);
    store = new AccessStore(db.pool(), db.pipelined());
  }

  @AfterAll
  static void stop() {
    db.close();
    await(vertx.close());
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(Patience.seconds(30), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }

  AccessRequest draft(Person who, String profile, int required, Instant created) {
    return Requests.pending(ids.request())
        .profile(profile)
        .requester(who)
        .reason("INC-42")
        .ticket("JIRA-1")
        .duration(Duration.ofHours(1))
        .approvalsRequired(required)
        .at(created)
        .build();
  }

  @Test
  void storesAndReadsBackARequestWithVotesAndGrant() {
    AccessRequest r =
        await(
            store.insert(
                draft(RequestMachineTest.ALICE, "p1", 2, T0), x -> Future.succeededFuture()));
    Act bob = new Act(RequestMachineTest.BOB, T0.plusSeconds(60), Optional.of("fine"));
    Act carol = new Act(RequestMachineTest.CAROL, T0.plusSeconds(120), Optional.empty());
    await(
        update(
            r.id(),
            cur -> Future.succeededFuture(RequestMachine.approve(cur, bob, true, ids.grant()))));
    Transition last =
        await(
            update(
                r.id(),
                cur ->
                    Future.succeededFuture(RequestMachine.approve(cur, carol, true, "grt_fixed"))));
    assertThat(last).isInstanceOf(Changed.class);

    AccessRequest read = await(store.find(r.id())).orElseThrow();
    assertThat(read.state()).isEqualTo(RequestState.APPROVED);
    assertThat(read.ticket()).contains("JIRA-1");
    assertThat(read.votes())
        .extracting(v -> v.approver().subject())
        .containsExactly("bob", "carol");
    assertThat(read.votes().get(0).comment()).contains("fine");
    Grant g = read.grant().orElseThrow();
    assertThat(g.id()).isEqualTo("grt_fixed");
    assertThat(g.startsAt()).isEqualTo(T0.plusSeconds(120));
    assertThat(g.endsAt()).isEqualTo(T0.plusSeconds(120).plus(Duration.ofHours(1)));
    assertThat(read.version()).isEqualTo(2);
  }

  @Test
  void aRequestsGrantIsReadAloneAsTheWholeRequestShowsItAndNoneBeforeApproval() {
    AccessRequest r =
        await(
            store.insert(
                draft(RequestMachineTest.ALICE, "p1", 1, T0), x -> Future.succeededFuture()));
    assertThat(await(store.grants().ofRequest(r.id()))).isEmpty();
    assertThat(await(store.grants().ofRequest("req_unknown"))).isEmpty();

    Act bob = new Act(RequestMachineTest.BOB, T0.plusSeconds(60), Optional.empty());
    await(
        update(
            r.id(),
            cur -> Future.succeededFuture(RequestMachine.approve(cur, bob, true, "grt_a"))));
    Act revoke = new Act(RequestMachineTest.CAROL, T0.plusSeconds(90), Optional.of("done"));
    await(update(r.id(), cur -> Future.succeededFuture(RequestMachine.revoke(cur, revoke, true))));

    Grant alone = await(store.grants().ofRequest(r.id())).orElseThrow();
    assertThat(alone).isEqualTo(await(store.find(r.id())).orElseThrow().grant().orElseThrow());
    assertThat(alone.holder()).isEqualTo(RequestMachineTest.ALICE);
    assertThat(alone.revocation()).isPresent();
  }

  /**
   * A request is read in three statements (the request, its votes, its grant); a decision that
   * commits between them must not be shown by halves. The votes' table is held so the read stops
   * after its first statement, the grant's end moves and commits, and then the read goes on.
   */
  @Test
  void aRequestIsReadAsOfOneMomentWhenItsGrantMovesBetweenTheReads() throws Exception {
    AccessRequest r =
        await(
            store.insert(
                draft(RequestMachineTest.ALICE, "p9", 1, T0), x -> Future.succeededFuture()));
    Act bob = new Act(RequestMachineTest.BOB, T0.plusSeconds(60), Optional.empty());
    await(
        update(
            r.id(),
            cur -> Future.succeededFuture(RequestMachine.approve(cur, bob, true, "grt_moving"))));
    Instant end = T0.plusSeconds(60).plus(Duration.ofHours(1));
    Future<Optional<AccessRequest>> read =
        HeldTable.readAcross(
            url,
            "approvals",
            () -> store.find(r.id()),
            "UPDATE grants SET ends_at = ends_at + interval '1 hour' WHERE id = 'grt_moving'");

    assertThat(await(read).orElseThrow().grant().orElseThrow().endsAt()).isEqualTo(end);
    assertThat(await(store.find(r.id())).orElseThrow().grant().orElseThrow().endsAt())
        .as("read again after")
        .isEqualTo(end.plus(Duration.ofHours(1)));
  }

  @Test
  void aFailingBeforeCommitStepLeavesNothingBehind() {
    AccessRequest r = draft(RequestMachineTest.ALICE, "p2", 1, T0);
    Future<AccessRequest> f = store.insert(r, x -> Future.failedFuture("audit down"));
    assertThat(f.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(30));
    assertThat(await(store.find(r.id()))).isEmpty();

    AccessRequest stored =
        await(
            store.insert(
                draft(RequestMachineTest.ALICE, "p2", 1, T0), x -> Future.succeededFuture()));
    Future<Transition> denied =
        update(
            stored.id(),
            cur ->
                Future.<Transition>succeededFuture(
                        RequestMachine.deny(
                            cur, new Act(RequestMachineTest.BOB, T0, Optional.empty()), true))
                    .compose(o -> Future.failedFuture("audit down")));
    assertThat(denied.toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(30));
    AccessRequest after = await(store.find(stored.id())).orElseThrow();
    assertThat(after.state()).isEqualTo(RequestState.PENDING);
    assertThat(after.votes()).isEmpty();
  }

  @Test
  void concurrentDecisionsOnOneRequestMakeExactlyOneTransition() {
    AccessRequest r =
        await(
            store.insert(
                draft(RequestMachineTest.ALICE, "p3", 1, T0), x -> Future.succeededFuture()));
    AtomicInteger transitions = new AtomicInteger();
    List<Future<Transition>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Person approver = RequestMachineTest.person("approver" + i);
      Act act = new Act(approver, T0.plusSeconds(i), Optional.empty());
      int kind = i % 2;
      all.add(
          update(
              r.id(),
              cur -> {
                Transition o =
                    kind == 0
                        ? RequestMachine.approve(cur, act, true, ids.grant())
                        : RequestMachine.deny(cur, act, true);
                if (o instanceof Changed) {
                  transitions.incrementAndGet();
                }
                return Future.succeededFuture(o);
              }));
    }
    await(Future.join(all));
    assertThat(transitions.get()).isEqualTo(1);
    AccessRequest after = await(store.find(r.id())).orElseThrow();
    assertThat(after.state()).isIn(RequestState.APPROVED, RequestState.DENIED);
    assertThat(after.votes()).hasSize(1);
    assertThat(after.grant().isPresent()).isEqualTo(after.state() == RequestState.APPROVED);
  }

  @Test
  void overlappingGrantsAreIndependentAndTheLongestComesFirst() {
    Person dave = RequestMachineTest.person("dave-" + ids.request());
    AccessRequest first =
        await(
            store.insert(
                RequestMachine.created(draft(dave, "p4", 1, T0), true, ids.grant()),
                x -> Future.succeededFuture()));
    AccessRequest second =
        await(
            store.insert(
                RequestMachine.created(
                    draft(dave, "p4", 1, T0.plusSeconds(1800)), true, ids.grant()),
                x -> Future.succeededFuture()));
    Instant mid = T0.plusSeconds(2400);
    assertThat(
            await(
                store
                    .grants()
                    .longestActiveGrant(dave, "p4", mid, Optional.empty(), ParameterValues.NONE)))
        .get()
        .extracting(Grant::requestId)
        .isEqualTo(second.id());

    Act revoke = new Act(dave, mid, Optional.empty());
    await(
        update(
            second.id(), cur -> Future.succeededFuture(RequestMachine.revoke(cur, revoke, true))));
    assertThat(
            await(
                store
                    .grants()
                    .longestActiveGrant(dave, "p4", mid, Optional.empty(), ParameterValues.NONE)))
        .get()
        .extracting(Grant::requestId)
        .isEqualTo(first.id());
    assertThat(
            await(
                store
                    .grants()
                    .longestActiveGrant(
                        dave, "p4", T0.plusSeconds(3600), Optional.empty(), ParameterValues.NONE)))
        .isEmpty();
    assertThat(
            await(
                store
                    .grants()
                    .longestActiveGrant(
                        dave, "other", mid, Optional.empty(), ParameterValues.NONE)))
        .isEmpty();
  }

  @Test
  void theSweeperTakesEachDueRequestOnceAcrossConcurrentWorkers() {
    Instant old = T0.minus(Duration.ofDays(400));
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      created.add(
          await(
                  store.insert(
                      draft(RequestMachineTest.person("sweep" + i), "p5", 1, old),
                      x -> Future.succeededFuture()))
              .id());
    }
    AtomicInteger changes = new AtomicInteger();
    List<Future<Integer>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      workers.add(drain(changes));
    }
    await(Future.all(workers));
    assertThat(changes.get()).isGreaterThanOrEqualTo(10);
    List<AccessRequest> timedOut =
        await(
            store.list(
                new Filter(
                    EnumSet.of(RequestState.TIMED_OUT),
                    Optional.empty(),
                    Optional.of("p5"),
                    false,
                    100)));
    assertThat(timedOut).extracting(AccessRequest::id).containsAll(created);
    assertThat(timedOut).allSatisfy(r -> assertThat(r.version()).isEqualTo(1));
  }

  private Future<Integer> drain(AtomicInteger changes) {
    Instant now = T0;
    return store
        .updateNextDue(
            AccessStore.Due.TIMED_OUT,
            now,
            Duration.ofHours(24),
            cur -> {
              Transition o = RequestMachine.timeOut(cur, Duration.ofHours(24), now);
              changes.incrementAndGet();
              return Future.succeededFuture(o);
            },
            c -> List.of())
        .compose(next -> next.isPresent() ? drain(changes) : Future.succeededFuture(0));
  }

  @Test
  void pagingByCursorReturnsEveryRequestOnceNewestFirstEvenWithTies() {
    Person frank = RequestMachineTest.person("frank-" + ids.request());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      // three requests share each instant: the cursor must break ties by id, not skip or repeat
      Instant at = T0.plusMillis(1_000_000 - (i / 3) * 1000L);
      expected.add(
          await(store.insert(draft(frank, "p7", 1, at), x -> Future.succeededFuture())).id());
    }
    List<String> seen = new ArrayList<>();
    Filter filter = new Filter(Set.of(), Optional.of(frank), Optional.empty(), false, 4);
    int pages = 0;
    while (true) {
      Page page = await(store.page(filter));
      pages++;
      page.requests().forEach(r -> seen.add(r.id()));
      if (page.next().isEmpty()) {
        break;
      }
      filter = filter.after(Cursor.parse(page.next().get().encode()));
    }
    assertThat(pages).isEqualTo(3);
    List<String> order = new ArrayList<>();
    for (int g = 0; g < 4; g++) {
      order.addAll(expected.subList(g * 3, Math.min(g * 3 + 3, 11)).stream().sorted().toList());
    }
    assertThat(seen).containsExactlyElementsOf(order);
  }

  @Test
  void aFullLastPageSaysNothingRemains() {
    Person gail = RequestMachineTest.person("gail-" + ids.request());
    for (int i = 0; i < 4; i++) {
      await(store.insert(draft(gail, "p7", 1, T0.plusSeconds(i)), x -> Future.succeededFuture()));
    }
    Page page =
        await(store.page(new Filter(Set.of(), Optional.of(gail), Optional.empty(), false, 4)));
    assertThat(page.requests()).hasSize(4);
    assertThat(page.next()).isEmpty();
  }

  @Test
  void aCursorNotHandedOutIsRefused() {
    for (String bad :
        List.of(
            "",
            "!!",
            Base64.getUrlEncoder().encodeToString("seq:12".getBytes()),
            Base64.getUrlEncoder().encodeToString("req:x:req_1".getBytes()),
            Base64.getUrlEncoder().encodeToString("req:12:".getBytes()))) {
      Assertions.assertThatThrownBy(() -> Cursor.parse(bad))
          .isInstanceOf(StintException.class)
          .hasMessageContaining("cursor");
    }
  }

  @Test
  void listsByRequesterStateAndReviewNeed() {
    Person erin = RequestMachineTest.person("erin-" + ids.request());
    AccessRequest plain =
        await(store.insert(draft(erin, "p6", 1, T0), x -> Future.succeededFuture()));
    AccessRequest bgDraft =
        Requests.pending(ids.request())
            .profile("p6")
            .requester(erin)
            .reason("INC-7")
            .duration(Duration.ofMinutes(30))
            .breakGlass(true)
            .at(T0)
            .build();
    AccessRequest bg =
        await(
            store.insert(
                RequestMachine.created(bgDraft, true, ids.grant()), x -> Future.succeededFuture()));

    List<AccessRequest> mine =
        await(store.list(new Filter(Set.of(), Optional.of(erin), Optional.empty(), false, 50)));
    assertThat(mine).extracting(AccessRequest::id).containsExactlyInAnyOrder(plain.id(), bg.id());
    List<AccessRequest> pending =
        await(
            store.list(
                new Filter(
                    EnumSet.of(RequestState.PENDING),
                    Optional.of(erin),
                    Optional.empty(),
                    false,
                    50)));
    assertThat(pending).extracting(AccessRequest::id).containsExactly(plain.id());
    List<AccessRequest> review =
        await(store.list(new Filter(Set.of(), Optional.of(erin), Optional.empty(), true, 50)));
    assertThat(review).extracting(AccessRequest::id).containsExactly(bg.id());
    assertThat(review.get(0).grant().orElseThrow().needsReview()).isTrue();
  }

  /** One decision on one request: a group of one, as every decision is. */
  private Future<Transition> update(String id, Function<AccessRequest, Future<Transition>> decide) {
    return store
        .updateAll(
            List.of(id), current -> decide.apply(current.get(0)).map(List::of), c -> List.of())
        .map(outcomes -> outcomes.get(0));
  }
}
