package dev.stint.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A year of access requests, oldest first, as plain values: who asked for which profile, how it was
 * decided and the grant it produced. Power users ask far more often than most (a skewed choice of
 * requester), a few sre people approve most requests, and the newest few hundred are still pending.
 * Everything follows from the spec's seed.
 */
final class ScaleRequests {
  static final String[] TEAMS = {
    "payments", "search", "data", "infra", "web", "mobile", "ml", "billing", "identity", "edge"
  };
  static final String[] TIERS = {"prod", "staging", "readonly", "admin"};
  private static final int[] HOURS = {1, 1, 1, 2, 2, 4, 8};

  /** Requests per pending one among the newest: a few hundred pending in a year's million. */
  private static final int PENDING_EVERY = 4;

  /** One request; {@code grantId} null when no grant was made; times are null when unused. */
  record Req(
      String id,
      String grantId,
      String profile,
      int person,
      int approver,
      int approvalsRequired,
      boolean breakGlass,
      String state,
      Instant createdAt,
      Instant decidedAt,
      Instant endsAt,
      Instant revokedAt,
      int durationSeconds) {
    boolean granted() {
      return grantId != null;
    }
  }

  private ScaleRequests() {}

  static String profile(int i) {
    return TEAMS[i % TEAMS.length] + "-" + TIERS[(i / TEAMS.length) % TIERS.length];
  }

  static int profiles() {
    return TEAMS.length * TIERS.length;
  }

  /** How many of the newest requests are left pending. */
  static int pending(ScaleSpec spec) {
    return Math.max(1, spec.requests() / 3000);
  }

  static List<Req> generate(ScaleSpec spec) {
    SplittableRandom rnd = new SplittableRandom(spec.seed());
    long span = ChronoUnit.MICROS.between(spec.start(), spec.end());
    int pendingFrom = spec.requests() - pending(spec) * PENDING_EVERY;
    int approvers = Math.max(1, spec.people() / 20);
    List<Req> out = new ArrayList<>(spec.requests());
    for (int i = 0; i < spec.requests(); i++) {
      // Evenly spread, jittered within each slot: creation order is time order.
      Instant created =
          spec.start()
              .plus((long) ((i + rnd.nextDouble()) * span / spec.requests()), ChronoUnit.MICROS);
      int person = (int) (spec.people() * Math.pow(rnd.nextDouble(), 1.3));
      int profileIndex = (int) (profiles() * Math.pow(rnd.nextDouble(), 1.5));
      int approver = rnd.nextInt(approvers);
      if (approver == person) {
        approver = (approver + 1) % spec.people();
      }
      int hours = HOURS[rnd.nextInt(HOURS.length)];
      boolean pending = i >= pendingFrom && (i - pendingFrom) % PENDING_EVERY == 0;
      out.add(
          decide(
              rnd,
              spec,
              new Req(
                  Ids.of(rnd, "req_"),
                  null,
                  profile(profileIndex),
                  person,
                  approver,
                  rnd.nextInt(5) == 0 ? 2 : 1,
                  rnd.nextInt(100) == 0,
                  "pending",
                  created,
                  null,
                  null,
                  null,
                  hours * 3600),
              pending));
    }
    return out;
  }

  private static Req decide(SplittableRandom rnd, ScaleSpec spec, Req r, boolean pending) {
    Instant decided = r.createdAt().plus(Duration.ofSeconds(20 + rnd.nextInt(1800)));
    if (!decided.isBefore(spec.end())) {
      // Only the chosen few stay pending: the newest others were decided quickly.
      decided = r.createdAt().plus(Duration.between(r.createdAt(), spec.end()).dividedBy(2));
    }
    double u = rnd.nextDouble();
    Instant timedOut = r.createdAt().plus(Duration.ofHours(24));
    if (pending) {
      return r;
    } else if (u < 0.07) {
      return with(r, null, "denied", decided, null, null);
    } else if (u < 0.10) {
      return with(r, null, "cancelled", decided, null, null);
    } else if (u < 0.12 && timedOut.isBefore(spec.end())) {
      return with(r, null, "timed_out", timedOut, null, null);
    }
    Instant ends = decided.plusSeconds(r.durationSeconds());
    String grant = Ids.of(rnd, "grt_");
    if (u < 0.14) {
      Instant revoked = decided.plusSeconds(60 + rnd.nextInt(r.durationSeconds() - 60));
      if (revoked.isBefore(spec.end())) {
        return with(r, grant, "revoked", decided, ends, revoked);
      }
    }
    return with(r, grant, ends.isBefore(spec.end()) ? "expired" : "approved", decided, ends, null);
  }

  private static Req with(
      Req r, String grant, String state, Instant decided, Instant ends, Instant revoked) {
    return new Req(
        r.id(),
        grant,
        r.profile(),
        r.person(),
        r.approver(),
        r.approvalsRequired(),
        r.breakGlass(),
        state,
        r.createdAt(),
        decided,
        ends,
        revoked,
        r.durationSeconds());
  }

  /** Ids shaped as the server makes them (a prefix and 24 base32 characters), but seeded. */
  static final class Ids {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private Ids() {}

    static String of(SplittableRandom rnd, String prefix) {
      char[] out = new char[24];
      long a = rnd.nextLong();
      long b = rnd.nextLong();
      for (int i = 0; i < 12; i++) {
        out[i] = ALPHABET[(int) (a >>> (i * 5)) & 31];
        out[12 + i] = ALPHABET[(int) (b >>> (i * 5)) & 31];
      }
      return prefix + new String(out);
    }
  }
}
