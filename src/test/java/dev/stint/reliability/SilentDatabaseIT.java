package dev.stint.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.common.Durations;
import dev.stint.config.ConfigKeys;
import dev.stint.config.DatabaseUrl;
import dev.stint.db.DatabaseTimeouts;
import dev.stint.reliability.CallLoad.Call;
import dev.stint.reliability.CallLoad.Kind;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.IssuanceRig;
import dev.stint.testing.MovableProxy;
import dev.stint.testing.Patience;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The database's address falls silent under load (issue 51): the primary's instance or zone is
 * gone, so packets are dropped, never refused, and no connection is closed. A killed process
 * ({@link FailoverIT}, {@link DatabaseOutageIT}) closes its connections and callers learn at once;
 * here nothing tells stint anything, and only its own deadlines can answer. A real stint server
 * runs against Postgres through a {@link MovableProxy}, which falls silent for {@link #SILENCE}
 * while clients keep asking for credentials, reading their requests, and making requests an
 * approver votes on. Then the address answers again; the connections that fell silent stay silent
 * (the host behind them never came back), so stint must have let go of them.
 *
 * <p>Checked: every call got its answer (a success, or 503 to try again), each one answered from
 * the silence on within its deadline, and nothing sent in the silence succeeded; {@code /readyz}
 * said not ready within a few seconds of the silence, each of its answers in time; once the address
 * answered again, issuance, reads and votes came back by themselves, and {@code /readyz} said
 * ready; and every credential and vote answered 2xx is in the database (no commit lost).
 */
class SilentDatabaseIT {
  /**
   * The deadlines this test is about, at their defaults: the test server otherwise stretches them
   * for tests that are not about them.
   */
  private static final Map<String, String> DEFAULT_DEADLINES =
      Map.of(
          "STINT_DATABASE_STATEMENT_TIMEOUT",
          ConfigKeys.DATABASE_STATEMENT_TIMEOUT.defaultValue().orElseThrow(),
          "STINT_AUDIT_TIMEOUT",
          ConfigKeys.AUDIT_TIMEOUT.defaultValue().orElseThrow());

  /** How long the address stays silent: longer than any deadline, as the outside check found. */
  private static final Duration SILENCE = Duration.ofSeconds(40);

  /**
   * A call's deadline: one statement that gets no answer ({@code database.statement_timeout}) and
   * then the record of the refusal, which gets none either ({@code audit.timeout}), both at their
   * defaults: 7 s.
   */
  private static final Duration CALL_DEADLINE =
      DatabaseTimeouts.DEFAULTS
          .statement()
          .plus(Durations.parse(ConfigKeys.AUDIT_TIMEOUT.defaultValue().orElseThrow()));

  /**
   * What a loaded test host may add to a deadline: stretched by {@link Patience}, still far short
   * of the silence, so a call that waits for the address is told from one cut at its deadline.
   */
  private static final Duration SLACK = Patience.of(Duration.ofMillis(1_500));

  /** {@code /readyz} pings the database with a deadline of its own. */
  private static final Duration READY_DEADLINE = Duration.ofSeconds(3);

  /** Not ready within this of the silence. */
  private static final Duration NOT_READY_WITHIN = Patience.of(Duration.ofSeconds(5));

  /** Calls sent this soon after the silence may have had their statements answered before it. */
  private static final Duration SETTLE = Duration.ofMillis(200);

  /** Issuance, reads and votes come back by themselves within this of the address answering. */
  private static final Duration RESUME_LIMIT = Patience.of(Duration.ofSeconds(20));

  /** A client gives up on an answer after this: a call that takes it has hung. */
  private static final Duration CLIENT_TIMEOUT = Patience.of(Duration.ofSeconds(30));

  private MovableProxy address;
  private IssuanceRig rig;

  /** When the address fell silent and answered again ({@link System#nanoTime()}). */
  private record Silence(long from, long until) {}

  @AfterEach
  void stop() throws Exception {
    if (rig != null) {
      rig.close();
    }
    if (address != null) {
      address.close();
    }
  }

  @Test
  void everyCallIsAnsweredInTimeWhileTheDatabaseIsSilentAndIssuanceResumesAfter() throws Exception {
    DatabaseUrl direct = TestPostgres.asOwner(TestPostgres.migratedDatabase());
    address = MovableProxy.to(direct.port());
    DatabaseUrl url =
        new DatabaseUrl(
            direct.host(),
            address.port(),
            direct.database(),
            direct.user(),
            direct.password(),
            direct.params());
    rig =
        IssuanceRig.onDatabase(url, DEFAULT_DEADLINES, Optional.empty(), SilentDatabaseIT::policy);
    Silence silence;
    List<Call> calls;
    try (CallLoad load = CallLoad.start(rig, 6, 2, 2, CLIENT_TIMEOUT)) {
      Eventually.until(
          "every kind of call answered under load",
          Duration.ofSeconds(30),
          () ->
              kindsSucceeded(load.calls(), Long.MIN_VALUE).containsAll(Set.of(Kind.values()))
                  && load.calls().stream()
                          .filter(c -> c.kind() == Kind.ISSUE && c.status() == 200)
                          .count()
                      >= 30);
      long from = System.nanoTime();
      address.silence();
      Thread.sleep(SILENCE.toMillis());
      address.resume();
      long until = System.nanoTime();
      silence = new Silence(from, until);
      // Not asserted here: the timeline is reported, then checked whole, even when stint never
      // comes back.
      waitFor(
          RESUME_LIMIT.plusSeconds(10),
          () -> kindsSucceeded(load.calls(), until).containsAll(Set.of(Kind.values())));
      waitFor(
          Duration.ofSeconds(20),
          () ->
              load.calls().stream()
                      .filter(c -> c.kind() == Kind.ISSUE && c.status() == 200 && c.sent() > until)
                      .count()
                  >= 50);
      load.stop();
      calls = load.calls();
    }
    rig.server().close(); // drains the audit writer before the rows are read
    report(calls, silence);
    everyCallAnsweredInTime(calls, silence);
    nothingSucceededInTheSilence(calls, silence);
    readinessFollowedTheSilence(calls, silence);
    everythingCameBack(calls, silence);
    nothingCommittedIsLost(calls, direct);
  }

  /** The rig's auto-approved profile, and one whose requests wait for an approver's vote. */
  private static String policy(TestIdp idp) {
    return IssuanceRig.policy(idp)
        + "  review:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/review\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'principal.groups.exists(g, g == \"dev\")'\n"
        + "    approval:\n"
        + "      count: 1\n"
        + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n";
  }

  /**
   * Every call answered with a success, or a 503 to try again ({@code unavailable}, or {@code
   * audit_unavailable} when the record of it could not be written), never a hang, never 500; and
   * within its deadline once the address fell silent. A call answered before that never waited on a
   * silent database: its time is the loaded host's (the integration tier runs classes side by
   * side), which the deadlines do not bound.
   */
  private static void everyCallAnsweredInTime(List<Call> calls, Silence s) {
    Set<String> retryable = Set.of("audit_unavailable", "unavailable");
    List<Call> wrong =
        calls.stream()
            .filter(c -> c.kind() != Kind.READY)
            .filter(c -> !c.succeeded() && !(c.status() == 503 && retryable.contains(c.code())))
            .toList();
    assertThat(wrong)
        .as("answers other than a success or a 503 to retry (-1: no answer from the server)")
        .isEmpty();
    List<Call> fromTheSilence = calls.stream().filter(c -> c.answered() >= s.from()).toList();
    assertThat(slowest(fromTheSilence, k -> k != Kind.READY))
        .as("the slowest call answered from the silence on")
        .isLessThan(CALL_DEADLINE.plus(SLACK));
    assertThat(slowest(fromTheSilence, k -> k == Kind.READY))
        .as("the slowest /readyz answered from the silence on")
        .isLessThan(READY_DEADLINE.plus(SLACK));
  }

  /**
   * A call sent once the address was silent, and answered before it spoke again, cannot succeed.
   */
  private static void nothingSucceededInTheSilence(List<Call> calls, Silence s) {
    List<Call> inSilence =
        calls.stream()
            .filter(c -> c.sent() >= s.from() + SETTLE.toNanos() && c.answered() < s.until())
            .toList();
    assertThat(inSilence.stream().filter(c -> c.kind() == Kind.ISSUE))
        .as("credentials asked for in the silence")
        .isNotEmpty();
    assertThat(inSilence.stream().filter(c -> c.kind() != Kind.READY && c.succeeded()))
        .as("calls sent in the silence that succeeded")
        .isEmpty();
  }

  /**
   * {@code /readyz} was ready before, said not ready within {@link #NOT_READY_WITHIN} of the
   * silence, and every answer of it in the silence from then on said so.
   */
  private static void readinessFollowedTheSilence(List<Call> calls, Silence s) {
    List<Call> ready = calls.stream().filter(c -> c.kind() == Kind.READY).toList();
    assertThat(ready.stream().filter(c -> c.answered() < s.from()))
        .as("/readyz before the silence")
        .isNotEmpty()
        .allMatch(c -> c.status() == 200);
    Call first =
        ready.stream()
            .filter(c -> c.status() == 503 && c.sent() >= s.from())
            .min((x, y) -> Long.compare(x.answered(), y.answered()))
            .orElseThrow(() -> new AssertionError("/readyz never said not ready"));
    assertThat(Duration.ofNanos(first.answered() - s.from()))
        .as("/readyz not ready after the silence began")
        .isLessThan(NOT_READY_WITHIN);
    assertThat(
            ready.stream()
                .filter(c -> c.sent() >= first.answered() && c.answered() < s.until())
                .toList())
        .as("/readyz in the silence once it said not ready")
        .isNotEmpty()
        .allMatch(c -> c.status() == 503);
  }

  /** Each kind of call succeeded again within {@link #RESUME_LIMIT} of the address answering. */
  private static void everythingCameBack(List<Call> calls, Silence s) {
    for (Kind kind : Kind.values()) {
      Call back =
          calls.stream()
              .filter(c -> c.kind() == kind && c.succeeded() && c.sent() >= s.until())
              .min((x, y) -> Long.compare(x.answered(), y.answered()))
              .orElseThrow(() -> new AssertionError(kind + " never succeeded after the silence"));
      assertThat(Duration.ofNanos(back.answered() - s.until()))
          .as("the first %s to succeed after the silence", kind)
          .isLessThan(RESUME_LIMIT);
    }
  }

  /**
   * Every credential answered 200 has its {@code credential.issued} event and ledger row, and every
   * vote answered 200 its {@code request.approved} event: committed, and kept.
   */
  private static void nothingCommittedIsLost(List<Call> calls, DatabaseUrl direct)
      throws Exception {
    Set<String> recorded =
        new HashSet<>(
            AuditTables.strings(
                direct,
                "SELECT c.id FROM credentials c JOIN audit_events a ON a.event_id = c.event_id"
                    + " WHERE a.type = 'credential.issued'"));
    List<String> issued =
        calls.stream()
            .filter(c -> c.kind() == Kind.ISSUE && c.status() == 200)
            .map(Call::id)
            .toList();
    assertThat(issued).doesNotContainNull().isNotEmpty();
    assertThat(issued)
        .as("credentials answered 200 without their credential.issued event and ledger row")
        .allMatch(recorded::contains);
    Set<String> approved =
        new HashSet<>(
            AuditTables.strings(
                direct, "SELECT request_id FROM audit_events WHERE type = 'request.approved'"));
    List<String> voted =
        calls.stream()
            .filter(c -> c.kind() == Kind.VOTE && c.status() == 200)
            .map(Call::id)
            .toList();
    assertThat(voted).doesNotContainNull().isNotEmpty();
    assertThat(voted)
        .as("votes answered 200 without their request.approved event")
        .allMatch(approved::contains);
  }

  /** Waits until {@code holds}, or for {@code atMost}; whether it held is for the checks after. */
  private static void waitFor(Duration atMost, java.util.concurrent.Callable<Boolean> holds)
      throws Exception {
    long end = System.nanoTime() + atMost.toNanos();
    while (!holds.call() && System.nanoTime() < end) {
      Thread.sleep(100);
    }
  }

  private static Set<Kind> kindsSucceeded(List<Call> calls, long sentAfter) {
    return calls.stream()
        .filter(c -> c.succeeded() && c.sent() >= sentAfter)
        .map(Call::kind)
        .collect(Collectors.toSet());
  }

  private static Duration slowest(List<Call> calls, java.util.function.Predicate<Kind> kinds) {
    return calls.stream()
        .filter(c -> kinds.test(c.kind()))
        .map(Call::took)
        .max(Duration::compareTo)
        .orElseThrow();
  }

  /**
   * A slow call told apart: how long it took, its answer, and when it was sent, counted from the
   * silence's start, so a call slowed by the host reads differently from one that waited twice.
   */
  private static String slowest(Call c, Silence s) {
    return String.format(
        "%d ms (%d%s, sent at %+d ms)",
        c.took().toMillis(),
        c.status(),
        c.code() == null ? "" : " " + c.code(),
        TimeUnit.NANOSECONDS.toMillis(c.sent() - s.from()));
  }

  private static void report(List<Call> calls, Silence s) {
    Map<Kind, String> byKind = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      List<Call> mine = calls.stream().filter(c -> c.kind() == kind).toList();
      byKind.put(
          kind,
          String.format(
              "%d calls, statuses %s, slowest %s",
              mine.size(),
              mine.stream()
                  .collect(
                      Collectors.groupingBy(
                          c -> c.status() + (c.code() == null ? "" : " " + c.code()),
                          Collectors.counting())),
              mine.stream()
                  .max(Comparator.comparing(Call::took))
                  .map(c -> slowest(c, s))
                  .orElse("none")));
    }
    long notReady =
        calls.stream()
            .filter(c -> c.kind() == Kind.READY && c.status() == 503 && c.sent() >= s.from())
            .mapToLong(Call::answered)
            .min()
            .orElse(-1);
    long issuedAgain =
        calls.stream()
            .filter(c -> c.kind() == Kind.ISSUE && c.status() == 200 && c.sent() >= s.until())
            .mapToLong(Call::answered)
            .min()
            .orElse(-1);
    System.out.printf(
        "silent database: %d s silent; /readyz not ready %d ms after the silence began, first"
            + " credential %d ms after the address answered again; %s%n",
        SILENCE.toSeconds(),
        notReady < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(notReady - s.from()),
        issuedAgain < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(issuedAgain - s.until()),
        byKind);
  }
}
