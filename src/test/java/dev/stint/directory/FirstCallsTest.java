package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Directory;
import dev.stint.identity.Directory.Standing;
import dev.stint.identity.Principal;
import dev.stint.testing.AuditTables;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a caller's admission asks of the directory's store, and how often: only for a person of the
 * directory's issuer the view does not know, once for concurrent calls, not again for a while when
 * they turned out unknown, and never admitted when the store cannot answer in time.
 */
class FirstCallsTest {
  static final String ISSUER = "https://idp.corp.example";
  static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");

  final Vertx vertx = Vertx.vertx();
  final MutableClock clock = new MutableClock(T0);
  final Map<String, Standing> view = new ConcurrentHashMap<>();
  final AtomicReference<Instant> readAt = new AtomicReference<>(T0.minusSeconds(1));
  final AtomicInteger looks = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  static Principal person(String issuer, String subject) {
    return new Principal(
        "corp",
        issuer,
        subject,
        Optional.of(subject + "@corp.example"),
        List.of("from-the-token"),
        Map.of(),
        Instant.MAX,
        Optional.empty());
  }

  FirstCalls calls(Function<Principal, Future<Standing>> look, Duration timeout) {
    Directory inMemory =
        p -> view.getOrDefault(p.issuer() + "\n" + p.subject(), new Standing.Unknown());
    return new FirstCalls(
        vertx,
        inMemory,
        readAt::get,
        () -> Optional.of(ISSUER),
        p -> {
          looks.incrementAndGet();
          return look.apply(p);
        },
        clock,
        timeout);
  }

  FirstCalls answering(Standing s) {
    return calls(p -> Future.succeededFuture(s), Duration.ofSeconds(3));
  }

  static Optional<Principal> admitted(FirstCalls calls, Principal p) throws Exception {
    return AuditTables.await(calls.admitNow(p));
  }

  static Throwable refusal(FirstCalls calls, Principal p) throws Exception {
    return AuditTables.failure(calls.admitNow(p));
  }

  @Test
  void aPersonTheViewKnowsOrOfAnotherIssuerCostsNoLook() throws Exception {
    FirstCalls calls = answering(new Standing.Deprovisioned(T0));
    view.put(ISSUER + "\nada", new Standing.Member(List.of("sre")));
    view.put(ISSUER + "\nlex", new Standing.Deprovisioned(T0));

    assertThat(admitted(calls, person(ISSUER, "ada")).orElseThrow().groups())
        .containsExactly("sre");
    assertThat(admitted(calls, person(ISSUER, "lex"))).isEmpty();
    assertThat(admitted(calls, person("https://other.example", "bob")).orElseThrow().groups())
        .containsExactly("from-the-token");
    assertThat(looks).hasValue(0);
  }

  @Test
  void anUnknownPersonIsLookedForAndJudgedByTheAnswer() throws Exception {
    assertThat(admitted(answering(new Standing.Deprovisioned(T0)), person(ISSUER, "leo")))
        .as("a leaver the store lists is refused on their first call")
        .isEmpty();
    Principal nia =
        admitted(answering(new Standing.Member(List.of("dir-sre"))), person(ISSUER, "nia"))
            .orElseThrow();
    assertThat(nia.groups()).containsExactly("dir-sre");
    assertThat(nia.groupsFrom()).isEqualTo(Principal.GroupsFrom.DIRECTORY);
  }

  @Test
  void aPersonFoundKnownIsAnsweredFromTheLookUntilTheViewHasReadIt() throws Exception {
    FirstCalls calls = answering(new Standing.Deprovisioned(T0));
    Principal leo = person(ISSUER, "leo");
    assertThat(admitted(calls, leo)).isEmpty();
    assertThat(admitted(calls, leo)).isEmpty();
    assertThat(looks).hasValue(1);

    clock.advance(Duration.ofSeconds(1));
    readAt.set(clock.instant());
    view.put(ISSUER + "\nleo", new Standing.Deprovisioned(T0));
    assertThat(admitted(calls, leo)).isEmpty();
    assertThat(looks).as("the view answers now").hasValue(1);
  }

  @Test
  void aPersonFoundUnknownIsNotLookedForAgainForAWhile() throws Exception {
    FirstCalls calls = answering(new Standing.Unknown());
    Principal otto = person(ISSUER, "otto");
    for (int i = 0; i < 5; i++) {
      assertThat(admitted(calls, otto).orElseThrow().groups()).containsExactly("from-the-token");
    }
    assertThat(looks).hasValue(1);

    clock.advance(FirstCalls.UNKNOWN_FOR.plusSeconds(1));
    admitted(calls, otto);
    assertThat(looks).hasValue(2);
  }

  @Test
  void concurrentFirstCallsShareOneLook() throws Exception {
    Promise<Standing> answer = Promise.promise();
    FirstCalls calls = calls(p -> answer.future(), Duration.ofSeconds(10));
    List<Future<Optional<Principal>>> waiting = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      waiting.add(calls.admitNow(person(ISSUER, "leo")));
    }
    answer.complete(new Standing.Deprovisioned(T0));

    for (Future<Optional<Principal>> w : waiting) {
      assertThat(AuditTables.await(w)).isEmpty();
    }
    assertThat(looks).hasValue(1);
  }

  @Test
  void aLookThatFailsRefusesTheCallAsUnavailableAndIsMadeAgainNextTime() throws Exception {
    FirstCalls calls =
        calls(
            p -> Future.failedFuture(new IllegalStateException("db down")), Duration.ofSeconds(3));

    Throwable refused = refusal(calls, person(ISSUER, "leo"));
    assertThat(refused).isInstanceOf(StintException.class);
    assertThat(((StintException) refused).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    refusal(calls, person(ISSUER, "leo"));
    assertThat(looks).hasValue(2);
  }

  @Test
  void aLookTooSlowRefusesTheCallAsUnavailableRatherThanAdmitIt() throws Exception {
    Promise<Standing> never = Promise.promise();
    FirstCalls calls = calls(p -> never.future(), Duration.ofMillis(200));

    Throwable refused = refusal(calls, person(ISSUER, "leo"));

    assertThat(((StintException) refused).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(refusal(calls, person(ISSUER, "leo")))
        .as("a later call waits on the same look, not a second one")
        .isInstanceOf(StintException.class);
    assertThat(looks).hasValue(1);
  }

  @Test
  void pastSoManyWaitingLooksANewOneIsNotStarted() throws Exception {
    Promise<Standing> never = Promise.promise();
    FirstCalls calls = calls(p -> never.future(), Duration.ofSeconds(30));
    for (int i = 0; i < FirstCalls.MAX_LOOKS; i++) {
      calls.admitNow(person(ISSUER, "p" + i));
    }

    Throwable refused = refusal(calls, person(ISSUER, "one-more"));

    assertThat(((StintException) refused).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(looks).hasValue(FirstCalls.MAX_LOOKS);
    assertThat(admitted(calls, person("https://other.example", "bob")))
        .as("people the store is not asked about are not held up")
        .isPresent();
  }

  @Test
  void aPersonsStandingIsTheViewsAnswerAndCostsNoLook() throws Exception {
    FirstCalls calls = answering(new Standing.Deprovisioned(T0));
    view.put(ISSUER + "\nada", new Standing.Member(List.of("sre")));

    assertThat(calls.standing(person(ISSUER, "ada").person()))
        .isEqualTo(new Standing.Member(List.of("sre")));
    assertThat(calls.standing(person(ISSUER, "leo").person()))
        .as("the store is asked only when a call is admitted")
        .isEqualTo(new Standing.Unknown());
    assertThat(looks).hasValue(0);
  }

  @Test
  void aLookThatThrowsRefusesTheCallAsUnavailableAndDoesNotHoldUpTheNext() throws Exception {
    FirstCalls calls =
        calls(
            p -> {
              throw new IllegalStateException("pool closed");
            },
            Duration.ofSeconds(3));

    Throwable refused = refusal(calls, person(ISSUER, "leo"));

    assertThat(((StintException) refused).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(refusal(calls, person(ISSUER, "leo"))).isInstanceOf(StintException.class);
    assertThat(looks).as("the second call made a look of its own").hasValue(2);
  }

  @Test
  void looksThatAnsweredNoLongerCountAsWaiting() throws Exception {
    FirstCalls calls = answering(new Standing.Member(List.of("dir-sre")));
    for (int i = 0; i <= FirstCalls.MAX_LOOKS; i++) {
      assertThat(admitted(calls, person(ISSUER, "p" + i))).isPresent();
    }
    assertThat(looks).hasValue(FirstCalls.MAX_LOOKS + 1);
  }

  @Test
  void pastSoManyAnswersAllAreForgottenAndLookedForAgain() throws Exception {
    FirstCalls calls = answering(new Standing.Unknown());
    Principal first = person(ISSUER, "p0");
    for (int i = 0; i < FirstCalls.REMEMBERED; i++) {
      calls.admitNow(person(ISSUER, "p" + i));
    }
    admitted(calls, first);
    assertThat(looks).as("every answer so far is kept").hasValue(FirstCalls.REMEMBERED);

    admitted(calls, person(ISSUER, "one-more"));
    admitted(calls, first);

    assertThat(looks).as("the first answer was forgotten").hasValue(FirstCalls.REMEMBERED + 2);
  }
}
