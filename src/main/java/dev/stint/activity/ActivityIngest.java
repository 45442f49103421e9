package dev.stint.activity;

import dev.stint.mint.ActivityLookup;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * CloudTrail events pushed to stint (an EventBridge API destination), one per call:
 *
 * <ol>
 *   <li>the bearer token is checked, in constant time, before the body is parsed;
 *   <li>the body is read as one event ({@code detail} holding the record);
 *   <li>a data event marks its account as one whose data events the push delivers ({@link
 *       Visibility}: only then are they seen);
 *   <li>a role assumed outside stint is recorded and raises the alarm ({@link RoleWatch});
 *   <li>the credential whose key made the call, from the ledger; a call no stint credential made is
 *       acknowledged and dropped;
 *   <li>the call bound to that credential as the ledger recorded it ({@link PushBinding}): one that
 *       disagrees is acknowledged, not kept, counted and recorded once ({@link ActivityAnomalies});
 *   <li>the call is kept, once by its event id, on the credential's request; an id kept before with
 *       other content keeps its first copy, and the conflict is recorded once and raises the alarm.
 * </ol>
 *
 * A failure to write fails the call, so that the sender delivers it again.
 */
public final class ActivityIngest {
  /** How often the time of the last delivery is written: every delivery would be one hot row. */
  static final Duration RECEIVED_EVERY = Duration.ofMinutes(1);

  /** What became of one delivery. */
  public enum Outcome {
    /** Kept on the request of the credential that made the call (or kept before). */
    KEPT,
    /** Not a call of a stint credential: acknowledged, not kept. */
    UNMATCHED,
    /** Naming a stint credential's key, but disagreeing with its ledger row: not kept. */
    MISMATCHED,
    /** Not one event with its record's id, time, service, operation and region. */
    MALFORMED,
    /** Without the configured bearer token: nothing read. */
    UNAUTHENTICATED
  }

  private final byte[] tokenDigest;
  private final GrantActivity view;
  private final Function<byte[], Optional<ActivityLookup.Call>> reader;
  private final RoleWatch roles;
  private final ActivityAnomalies anomalies;
  private final Clock clock;
  private final AtomicLong unauthenticated = new AtomicLong();
  private final AtomicLong unmatched = new AtomicLong();
  private final AtomicLong mismatched = new AtomicLong();
  private final AtomicReference<Instant> receivedWritten = new AtomicReference<>(Instant.MIN);
  private final Map<String, Instant> dataWritten = new ConcurrentHashMap<>();

  /** An AWS account id, as CloudTrail's {@code recipientAccountId} names one. */
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

  /** What the ingest checks and reads a delivery with. */
  public record Reading(String token, Function<byte[], Optional<ActivityLookup.Call>> reader) {
    @Override
    public String toString() {
      return "Reading[token=***]";
    }
  }

  /**
   * What a delivered call is checked by beyond its credential: the watch on the policy's roles, and
   * what records a call that disagrees with the ledger or with the copy kept before.
   */
  public record Watch(RoleWatch roles, ActivityAnomalies anomalies) {}

  public ActivityIngest(GrantActivity view, Reading reading, Watch watch, Clock clock) {
    this.tokenDigest = sha256(reading.token());
    this.view = view;
    this.reader = reading.reader();
    this.roles = watch.roles();
    this.anomalies = watch.anomalies();
    this.clock = clock;
  }

  /**
   * Whether {@code authorization} carries the ingest token; a refusal is counted. Asked before the
   * body is read, so a caller without the token never gets a body buffered.
   */
  public boolean admits(Optional<String> authorization) {
    if (authorized(authorization)) {
      return true;
    }
    unauthenticated.incrementAndGet();
    return false;
  }

  /** One delivery: {@code authorization} is the header as sent, {@code body} the bytes. */
  public Future<Outcome> accept(Optional<String> authorization, byte[] body) {
    // 1.
    if (!authorized(authorization)) {
      unauthenticated.incrementAndGet();
      return Future.succeededFuture(Outcome.UNAUTHENTICATED);
    }
    // 2.
    Optional<ActivityLookup.Call> read = reader.apply(body).filter(this::recent);
    if (read.isEmpty()) {
      return Future.succeededFuture(Outcome.MALFORMED);
    }
    ActivityLookup.Call call = read.get();
    // 3. and 4.
    return received()
        .compose(x -> dataPushed(call))
        .compose(x -> roles.check(call))
        // 5.
        .compose(x -> view.ingestStore().owner(call))
        .compose(
            owner ->
                owner.isEmpty() ? Future.succeededFuture(unmatched()) : keep(call, owner.get()));
  }

  private Future<Outcome> keep(ActivityLookup.Call call, IngestStore.Owner owner) {
    // 6.
    List<PushBinding.Disagreement> disagree = PushBinding.of(call, owner);
    if (!disagree.isEmpty()) {
      return anomalies
          .mismatched(call, owner, disagree)
          .map(
              x -> {
                mismatched.incrementAndGet();
                return Outcome.MISMATCHED;
              });
    }
    // 7.
    return view.store()
        .keep(owner.credentialId(), owner.requestId(), List.of(call))
        .compose(anomalies::conflicted)
        .map(Outcome.KEPT);
  }

  /**
   * A call from within CloudTrail's event history and not from the future: a time far off would pin
   * an event to the top or bottom of a request's calls forever.
   */
  private boolean recent(ActivityLookup.Call call) {
    Instant now = clock.instant();
    return !call.time().isAfter(now.plus(Duration.ofHours(1)))
        && !call.time().isBefore(now.minus(Duration.ofDays(90)));
  }

  /**
   * A call of a key stint never issued (someone else's, or a session chained from a stint session):
   * acknowledged, kept nowhere and judged by no rule, so counted.
   */
  private Outcome unmatched() {
    unmatched.incrementAndGet();
    return Outcome.UNMATCHED;
  }

  /** Calls acknowledged and dropped because no stint credential made them. */
  public long unmatchedCalls() {
    return unmatched.get();
  }

  /**
   * Calls acknowledged and not kept because they disagree with what the ledger recorded of the
   * credential whose key they name (each also recorded once in the audit).
   */
  public long mismatchedCalls() {
    return mismatched.get();
  }

  /** Calls refused for their token: they are not audited, so they are counted. */
  public long unauthenticated() {
    return unauthenticated.get();
  }

  private boolean authorized(Optional<String> authorization) {
    String presented =
        authorization
            .filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7))
            .map(a -> a.substring(7).strip())
            .orElse("");
    // Digests of equal length, so the comparison takes as long whatever was sent.
    return MessageDigest.isEqual(tokenDigest, sha256(presented));
  }

  /**
   * The account of a data event, at most once a {@link #RECEIVED_EVERY} per account on this
   * replica. A write that fails fails the delivery, which is sent again, and is tried again then.
   */
  private Future<Void> dataPushed(ActivityLookup.Call call) {
    Optional<String> account = call.account().filter(a -> ACCOUNT.matcher(a).matches());
    if (!call.dataEvent() || account.isEmpty()) {
      return Future.succeededFuture();
    }
    Instant now = clock.instant();
    Instant last = dataWritten.get(account.get());
    if (last != null && now.isBefore(last.plus(RECEIVED_EVERY))) {
      return Future.succeededFuture();
    }
    dataWritten.put(account.get(), now);
    return view.ingestStore()
        .dataPushed(account.get(), now)
        .onFailure(e -> dataWritten.remove(account.get(), now));
  }

  /** The time of this delivery, at most once a {@link #RECEIVED_EVERY} on this replica. */
  private Future<Void> received() {
    Instant now = clock.instant();
    Instant last = receivedWritten.get();
    if (now.isBefore(last.plus(RECEIVED_EVERY)) || !receivedWritten.compareAndSet(last, now)) {
      return Future.succeededFuture();
    }
    return view.ingestStore().received(GrantActivity.INGEST, now);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
