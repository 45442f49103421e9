package dev.stint.bench;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.ChainHash;
import dev.stint.bench.ScaleRequests.Req;
import dev.stint.mint.aws.SourceIdentities;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The audit log of the generated year: every request's own events (created, approvals, the
 * decision, revocation or expiry, some sign-ins before) and, to make up the spec's count,
 * credential issuances spread over each grant's lifetime, a few of them refused. Events are emitted
 * in time order (a queue holds those scheduled ahead of the next request), numbered and chained
 * with {@link ChainHash} exactly as the server's writer does, so the server's verifier accepts the
 * result. Each issuance also writes its row of the credentials ledger, with the event's id and an
 * access key of its own, as the server's audit batch does.
 */
final class ScaleEvents {
  static final String COLUMNS =
      "seq, event_id, occurred_at, type, actor_issuer, actor_subject,"
          + " actor_email, request_id, grant_id, profile, cloud, target, outcome, reason,"
          + " client_address, user_agent, details, prev_hash, hash";

  static final String LEDGER_COLUMNS =
      "id, event_id, grant_id, request_id, holder_issuer, holder_subject, profile, cloud, target,"
          + " access_key_id, session_name, source_identity, revocable, issued_at, expires_at,"
          + " state, ended_at";

  /** The characters of an STS access key id after its ASIA prefix, and of a credential id. */
  private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  /** One issuance in this many is refused (asked for outside the grant's profile). */
  private static final int REFUSED_EVERY = 25;

  private enum Kind {
    SIGNED_IN,
    CREATED,
    APPROVAL,
    SECOND_APPROVAL,
    APPROVED,
    DENIED,
    CANCELLED,
    TIMED_OUT,
    REVOKED,
    EXPIRED,
    ISSUED
  }

  private record Due(long micros, long order, Kind kind, Req req, int index) {}

  /** The chain as loaded: how many events and the head's seq and hash. */
  record Chain(long count, String headHash) {}

  /** An issuance's ledger row, written once its event has its id. */
  private record Minted(String credentialId, String key, Instant expires, Req req) {}

  private final ScaleSpec spec;
  private final CopyPipe out;
  private final CopyPipe ledger;
  private final SplittableRandom rnd;
  private final PriorityQueue<Due> due =
      new PriorityQueue<>(
          (a, b) ->
              a.micros() != b.micros()
                  ? Long.compare(a.micros(), b.micros())
                  : Long.compare(a.order(), b.order()));
  private long order;
  private long seq;
  private String prev = ChainHash.GENESIS;
  private Minted minted;

  private ScaleEvents(ScaleSpec spec, CopyPipe out, CopyPipe ledger) {
    this.spec = spec;
    this.out = out;
    this.ledger = ledger;
    this.rnd = new SplittableRandom(spec.seed() * 31 + 7);
  }

  static String reason(Req r) {
    return "INC-" + (r.createdAt().getEpochSecond() % 100_000) + " on-call work on " + r.profile();
  }

  /** The events on {@code c}, the ledger's rows on {@code ledgerConnection}, side by side. */
  static Chain load(Connection c, Connection ledgerConnection, ScaleSpec spec, List<Req> reqs)
      throws Exception {
    try (CopyPipe pipe = new CopyPipe(c, "audit_events", COLUMNS);
        CopyPipe rows = new CopyPipe(ledgerConnection, "credentials", LEDGER_COLUMNS)) {
      ScaleEvents events = new ScaleEvents(spec, pipe, rows);
      events.emitAll(reqs);
      pipe.finish();
      rows.finish();
      return new Chain(events.seq, events.prev);
    }
  }

  /** Events a request has whatever the count asked for; issuances make up the rest. */
  static long fixedEvents(ScaleSpec spec, Req r, int index) {
    long n = (index % 10 == 0 ? 1 : 0) + 1;
    if (r.granted()) {
      n +=
          2
              + (twoApprovals(spec, r) ? 1 : 0)
              + (r.revokedAt() != null ? 1 : 0)
              + (r.state().equals("expired") ? 1 : 0);
    } else if (!r.state().equals("pending")) {
      n += 1;
    }
    return n;
  }

  private void emitAll(List<Req> reqs) throws Exception {
    long fixed = 0;
    long grants = 0;
    for (int i = 0; i < reqs.size(); i++) {
      fixed += fixedEvents(spec, reqs.get(i), i);
      grants += reqs.get(i).granted() ? 1 : 0;
    }
    long filler = spec.events() - fixed;
    if (filler < 0 || (filler > 0 && grants == 0)) {
      throw new IllegalArgumentException(
          "the requests alone make " + fixed + " events: ask for at least that many");
    }
    long granted = 0;
    for (int i = 0; i < reqs.size(); i++) {
      Req r = reqs.get(i);
      long created = micros(r.createdAt());
      long earliest = i % 10 == 0 ? created - 30_000_000L : created;
      while (!due.isEmpty() && due.peek().micros() < earliest) {
        emit(due.poll());
      }
      schedule(r, i, created, earliest);
      if (r.granted()) {
        long issued = (granted + 1) * filler / grants - granted * filler / grants;
        scheduleIssuances(r, i, issued);
        granted++;
      }
    }
    while (!due.isEmpty()) {
      emit(due.poll());
    }
  }

  private void schedule(Req r, int index, long created, long earliest) {
    if (earliest < created) {
      add(earliest, Kind.SIGNED_IN, r, index);
    }
    add(created, Kind.CREATED, r, index);
    long decided = r.decidedAt() == null ? 0 : micros(r.decidedAt());
    switch (r.state()) {
      case "denied" -> add(decided, Kind.DENIED, r, index);
      case "cancelled" -> add(decided, Kind.CANCELLED, r, index);
      case "timed_out" -> add(decided, Kind.TIMED_OUT, r, index);
      case "pending" -> {}
      default -> {
        if (twoApprovals(spec, r)) {
          add(decided - 10_000_000L, Kind.SECOND_APPROVAL, r, index);
        }
        add(decided - 1, Kind.APPROVAL, r, index);
        add(decided, Kind.APPROVED, r, index);
        if (r.revokedAt() != null) {
          add(micros(r.revokedAt()), Kind.REVOKED, r, index);
        } else if (r.state().equals("expired")) {
          add(micros(r.endsAt()), Kind.EXPIRED, r, index);
        }
      }
    }
  }

  /** Issuances at random moments of the grant's life (ended, revoked or the load's end). */
  private void scheduleIssuances(Req r, int index, long n) {
    long from = micros(r.decidedAt()) + 1;
    Instant until = r.revokedAt() != null ? r.revokedAt() : r.endsAt();
    long to = Math.min(micros(until), micros(spec.end())) - 1;
    for (long k = 0; k < n; k++) {
      add(from + (long) (rnd.nextDouble() * Math.max(1, to - from)), Kind.ISSUED, r, index);
    }
  }

  private void add(long micros, Kind kind, Req r, int index) {
    due.add(new Due(micros, order++, kind, r, index));
  }

  private void emit(Due d) throws Exception {
    Instant at = Instant.EPOCH.plus(d.micros(), ChronoUnit.MICROS);
    AuditEvent e = event(d);
    seq++;
    UUID id =
        new UUID(
            (rnd.nextLong() & ~0xF000L) | 0x4000L,
            (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
    String hash = ChainHash.hash(seq, id, at, e, prev);
    out.col(seq)
        .col(id.toString())
        .col(at)
        .col(e.type())
        .col(e.actor().issuer())
        .col(e.actor().subject())
        .col(e.actor().email())
        .col(e.requestId())
        .col(e.grantId())
        .col(e.profile())
        .col(e.cloud())
        .col(e.target())
        .col(e.outcome())
        .col(e.reason())
        .col(e.clientAddress())
        .col(e.userAgent())
        .col(new JsonObject(e.details()).encode())
        .col(prev)
        .col(hash);
    out.endRow();
    prev = hash;
    if (minted != null) {
      ledgerRow(minted, id, at);
      minted = null;
    }
  }

  private void ledgerRow(Minted m, UUID eventId, Instant at) throws Exception {
    Req r = m.req();
    String subject = ScaleSpec.person(r.person());
    boolean revoked = r.revokedAt() != null && r.revokedAt().isBefore(m.expires());
    ledger
        .col(m.credentialId())
        .col(eventId.toString())
        .col(r.grantId())
        .col(r.id())
        .col(ScaleSpec.ISSUER)
        .col(subject)
        .col(r.profile())
        .col("aws")
        .col(role(r))
        .col(m.key())
        .col("stint-" + subject)
        .col(SourceIdentities.of(ScaleSpec.ISSUER, subject, r.grantId()))
        .col(true)
        .col(at)
        .col(m.expires())
        .col(revoked ? "revoked" : "live")
        .col(revoked ? r.revokedAt() : null);
    ledger.endRow();
  }

  private static String role(Req r) {
    return "arn:aws:iam::111122223333:role/" + r.profile();
  }

  private String randomChars(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(KEY_CHARS.charAt(rnd.nextInt(KEY_CHARS.length())));
    }
    return b.toString();
  }

  private AuditEvent event(Due d) {
    Req r = d.req();
    int person = r.person();
    return switch (d.kind()) {
      case SIGNED_IN -> by(AuditEvent.builder("web.signed_in"), person).outcome("ok").build();
      case CREATED ->
          on(by(AuditEvent.builder("request.created"), person), r)
              .reason(reason(r))
              .detail("duration_seconds", (long) r.durationSeconds())
              .detail("approvals_required", (long) r.approvalsRequired())
              .build();
      case APPROVAL, SECOND_APPROVAL ->
          on(
                  by(
                      AuditEvent.builder("approval.recorded"),
                      d.kind() == Kind.APPROVAL ? r.approver() : ScaleRows.secondApprover(r, spec)),
                  r)
              .outcome("approve")
              .build();
      case APPROVED ->
          on(by(AuditEvent.builder("request.approved"), r.approver()), r)
              .grantId(r.grantId())
              .outcome("ok")
              .detail("approvals", (long) r.approvalsRequired())
              .detail("approvals_required", (long) r.approvalsRequired())
              .build();
      case DENIED ->
          on(by(AuditEvent.builder("request.denied"), r.approver()), r).outcome("denied").build();
      case CANCELLED -> on(by(AuditEvent.builder("request.cancelled"), person), r).build();
      case TIMED_OUT ->
          on(AuditEvent.builder("request.timed_out").actor(AuditEvent.Actor.SYSTEM), r).build();
      case REVOKED ->
          on(by(AuditEvent.builder("grant.revoked"), r.approver()), r)
              .grantId(r.grantId())
              .reason("access no longer needed")
              .build();
      case EXPIRED ->
          on(AuditEvent.builder("grant.expired").actor(AuditEvent.Actor.SYSTEM), r)
              .grantId(r.grantId())
              .build();
      case ISSUED -> issuance(d, r);
    };
  }

  private AuditEvent issuance(Due d, Req r) {
    AuditEvent.Builder b = by(AuditEvent.builder("credential.issued"), r.person());
    if (d.order() % REFUSED_EVERY == 0) {
      String other = ScaleRequests.profile((d.index() + 1) % ScaleRequests.profiles());
      return by(AuditEvent.builder("credential.denied"), r.person())
          .profile(other)
          .outcome("refused")
          .reason("no active grant for " + other)
          .detail("code", "forbidden")
          .build();
    }
    Instant hour =
        Instant.EPOCH
            .plus(d.micros(), ChronoUnit.MICROS)
            .plusSeconds(3600)
            .truncatedTo(ChronoUnit.SECONDS);
    // A credential never outlives its grant.
    Instant expires = hour.isAfter(r.endsAt()) ? r.endsAt() : hour;
    minted =
        new Minted(
            "crd_" + randomChars(26).toLowerCase(Locale.ROOT),
            "ASIA" + randomChars(16),
            expires,
            r);
    return on(b, r)
        .grantId(r.grantId())
        .cloud("aws")
        .target(role(r))
        .outcome("ok")
        .reason(reason(r))
        .detail("credential_id", minted.credentialId())
        .detail(
            "credential", Map.of("access_key_id", minted.key(), "expires_at", expires.toString()))
        .detail("valid_until", r.endsAt().toString())
        .build();
  }

  private static boolean twoApprovals(ScaleSpec spec, Req r) {
    return r.approvalsRequired() == 2 && ScaleRows.secondApprover(r, spec) >= 0;
  }

  private static AuditEvent.Builder by(AuditEvent.Builder b, int person) {
    return b.actor(ScaleSpec.ISSUER, ScaleSpec.person(person), ScaleRows.email(person))
        .client(
            "10." + (person / 65_536 % 256) + "." + (person / 256 % 256) + "." + person % 256,
            "stint-cli");
  }

  private static AuditEvent.Builder on(AuditEvent.Builder b, Req r) {
    return b.requestId(r.id()).profile(r.profile());
  }

  private static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }
}
