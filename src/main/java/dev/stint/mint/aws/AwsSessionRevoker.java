package dev.stint.mint.aws;

import dev.stint.error.ErrorCode;
import dev.stint.mint.MintException;
import dev.stint.mint.SessionRevoker;
import dev.stint.mint.aws.AwsRevocations.Written;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ends a role's AWS sessions of revoked grants with its IAM denies ({@link AwsRevocations}),
 * rendered from the records: every revoked grant with a session on the role that may still be
 * alive, its own or one chained from it, one entry each, in the inline policy and stint's managed
 * ones. When they do not fit, in this order:
 *
 * <ol>
 *   <li>the people with the most revoked grants on the role are collapsed, each to one cutoff of
 *       their own: every session of that person issued before now is denied, which cuts that
 *       person's other sessions and nobody else's ({@link #collapse});
 *   <li>only when that is not enough, the role is widened: every stint session of the role issued
 *       before now is denied ({@code aws:TokenIssueTime}); the grants that cutoff covers keep their
 *       entries (a session chained back into the role later has a fresh issue time), and lose them
 *       too only when even those do not fit. The other people the cutoff cuts are named, so they
 *       can be told.
 * </ol>
 */
public final class AwsSessionRevoker implements SessionRevoker {
  /**
   * The cutoff lies this far past stint's clock, so that a session STS issued just before it is cut
   * however far AWS's clock is behind stint's, within this margin. Sessions issued in this margin
   * are cut too: their holders fetch fresh ones.
   */
  static final Duration CLOCK_MARGIN = Duration.ofSeconds(10);

  /** How much of the records a widened deny still names one by one. */
  private enum Tier {
    EVERY_GRANT,
    SOURCES_BEFORE_CUTOFF,
    AFTER_CUTOFF_ONLY
  }

  /** What the records hold for the role at one moment: its cutoffs, role-wide and per person. */
  private record State(Optional<Cutoff> cutoff, List<PersonCutoff> persons) {}

  private final Vertx vertx;
  private final AwsRevocations iam;
  private final Clock clock;
  private final PortalRevoker portal;

  public AwsSessionRevoker(Vertx vertx, AwsRevocations iam, Clock clock) {
    this.vertx = vertx;
    this.iam = iam;
    this.clock = clock;
    this.portal = new PortalRevoker(vertx, iam.portal(), clock);
  }

  /**
   * Writes {@code role}'s denies, collapsing people or widening when they do not fit; a target that
   * is a member account's portal revocation policy ({@link PortalPolicy}) is written there.
   */
  @Override
  public Future<Ended> end(String role, String grantId, Records records) {
    if (PortalPolicy.isPolicy(role)) {
      return portal.end(role, records);
    }
    // Users' sessions AWS issued are never denied on a role: AWS refuses every write to the role
    // IAM Identity Center provisions. A cutoff recorded there is an error to show, not to skip.
    return records
        .userCutoffs(role, clock.instant())
        .compose(
            users ->
                users.isEmpty()
                    ? endRole(role, grantId, records)
                    : Future.failedFuture(
                        new MintException(
                            ErrorCode.INTERNAL,
                            "portal sessions' deny recorded on role "
                                + role
                                + ": AWS refuses every write to it; it goes to "
                                + PortalPolicy.REFERENCE,
                            false,
                            null)));
  }

  private Future<Ended> endRole(String role, String grantId, Records records) {
    Instant now = clock.instant();
    Future<Optional<Cutoff>> cutoff = records.cutoff(role, now);
    Future<List<PersonCutoff>> persons = records.personCutoffs(role, now);
    return Future.all(cutoff, persons)
        .compose(
            x -> {
              State state = new State(cutoff.result(), persons.result());
              return write(records, role, now, state, Tier.EVERY_GRANT)
                  .compose(
                      written ->
                          written instanceof Written.TooLarge tooLarge
                              ? collapse(records, role, grantId, now, state, tooLarge)
                              : confirmed(records, role, List.of()));
            });
  }

  private Future<Ended> confirmed(Records records, String role, List<Collapsed> collapsed) {
    return records
        .confirmEnded(role, clock.instant())
        .map(x -> new Ended(role, Optional.empty(), collapsed));
  }

  /**
   * Collapses the people with the most revoked grants on the role, as many as it takes to free what
   * did not fit, each recorded before it is written; widens when even collapsing everyone who has
   * more than one would not be enough.
   */
  private Future<Ended> collapse(
      Records records, String role, String grantId, Instant now, State state, Written.TooLarge w) {
    return records
        .revokedOn(role, now)
        .compose(
            revoked -> {
              List<PersonCutoff> chosen = chosen(revoked, state, now, w.characters());
              if (chosen.isEmpty()) {
                return widen(records, role, grantId, w.latestEarlier(), state);
              }
              Future<Void> saved = Future.succeededFuture();
              for (PersonCutoff p : chosen) {
                saved = saved.compose(x -> records.savePersonCutoff(role, p, grantId, now));
              }
              List<PersonCutoff> all = new ArrayList<>(state.persons());
              all.removeIf(p -> chosen.stream().anyMatch(c -> c.person().equals(p.person())));
              all.addAll(chosen);
              State collapsed = new State(state.cutoff(), all);
              return saved
                  .compose(x -> write(records, role, now, collapsed, Tier.EVERY_GRANT))
                  .compose(
                      written ->
                          written instanceof Written.TooLarge tooLarge
                              ? widen(records, role, grantId, tooLarge.latestEarlier(), collapsed)
                              : cutPersons(records, role, now, chosen, state)
                                  .compose(cut -> confirmed(records, role, cut)));
            });
  }

  /**
   * The people to collapse, most revoked grants first, until what they free covers {@code needed}
   * characters (0: unknown, everyone it pays for); none when they could not free enough.
   */
  private static List<PersonCutoff> chosen(
      List<Revoked> revoked, State state, Instant now, int needed) {
    Map<String, List<Revoked>> byPerson = new LinkedHashMap<>();
    for (Revoked r : revoked) {
      if (!covered(r, state)) {
        person(r).ifPresent(p -> byPerson.computeIfAbsent(p, k -> new ArrayList<>()).add(r));
      }
    }
    Instant cutoffAt = now.plus(CLOCK_MARGIN);
    List<PersonCutoff> out = new ArrayList<>();
    int freed = 0;
    List<Map.Entry<String, List<Revoked>>> most =
        byPerson.entrySet().stream()
            .sorted(Comparator.comparing(e -> -e.getValue().size()))
            .toList();
    for (Map.Entry<String, List<Revoked>> e : most) {
      Instant until =
          e.getValue().stream().map(AwsSessionRevoker::lastNeeded).max(Instant::compareTo).get();
      // A later collapse of the same person stands for the grants the earlier one did too.
      for (PersonCutoff earlier : state.persons()) {
        if (earlier.person().equals(e.getKey()) && earlier.cutoff().until().isAfter(until)) {
          until = earlier.cutoff().until();
        }
      }
      PersonCutoff p = new PersonCutoff(e.getKey(), new Cutoff(cutoffAt, until, now));
      int saves = saved(e.getValue(), p);
      if (saves <= 0) {
        break;
      }
      out.add(p);
      freed += saves;
      // The freed room is spread over the documents the entries were in, while each person's two
      // statements need room in one: free a person's worth more than what did not fit.
      if (needed > 0 && freed >= needed + personCost(p)) {
        return out;
      }
    }
    return needed > 0 ? List.of() : out;
  }

  private static int personCost(PersonCutoff p) {
    return RevocationPolicy.cost(new DenyItem.Person(deny(p)), false, false);
  }

  /** The characters collapsing {@code grants} to {@code p} frees. */
  private static int saved(List<Revoked> grants, PersonCutoff p) {
    int entries = 0;
    for (Revoked r : grants) {
      entries +=
          RevocationPolicy.cost(
              new DenyItem.Grant(
                  RevocationPolicy.entry(new RoleDenies.Denied(r.grantId(), r.sourceIdentity()))),
              false,
              false);
    }
    return entries - personCost(p);
  }

  /** Each collapsed person's other live sessions it cut, recorded as cut. */
  private Future<List<Collapsed>> cutPersons(
      Records records, String role, Instant now, List<PersonCutoff> chosen, State before) {
    List<Collapsed> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (PersonCutoff p : chosen) {
      Instant from =
          before.persons().stream()
              .filter(b -> b.person().equals(p.person()))
              .map(b -> b.cutoff().issuedBefore())
              .findFirst()
              .orElse(Instant.EPOCH);
      chain =
          chain.compose(
              x ->
                  records
                      .cutBetween(
                          role, Optional.of(p.person()), now, from, p.cutoff().issuedBefore())
                      .map(
                          cut -> {
                            out.add(
                                new Collapsed(
                                    role,
                                    p.person(),
                                    p.cutoff().issuedBefore(),
                                    p.cutoff().until(),
                                    cut));
                            return null;
                          }));
    }
    return chain.map(out);
  }

  private Future<Written> write(Records records, String role, Instant now, State state, Tier tier) {
    return records
        .revokedOn(role, now)
        .compose(
            revoked -> {
              List<RoleDenies.Denied> grants =
                  revoked.stream()
                      .filter(r -> named(r, state, tier))
                      .map(
                          r ->
                              new RoleDenies.Denied(
                                  r.grantId(),
                                  r.sourceIdentity(),
                                  r.sessionsAlive(now) && !covered(r, state)))
                      .toList();
              List<RoleDenies.PersonCutoff> persons =
                  tier == Tier.AFTER_CUTOFF_ONLY
                      ? List.of()
                      : state.persons().stream().map(AwsSessionRevoker::deny).toList();
              RoleDenies denies =
                  new RoleDenies(
                      role, grants, persons, state.cutoff().map(AwsSessionRevoker::deny));
              return Future.fromCompletionStage(iam.write(denies), vertx.getOrCreateContext());
            });
  }

  private static RoleDenies.Cutoff deny(Cutoff cutoff) {
    return new RoleDenies.Cutoff(cutoff.issuedBefore(), cutoff.until());
  }

  private static RoleDenies.PersonCutoff deny(PersonCutoff p) {
    return new RoleDenies.PersonCutoff(p.person(), p.cutoff().issuedBefore(), p.cutoff().until());
  }

  /** Whether a grant's sessions were all issued before the role's cutoff, which denies them. */
  private static boolean covered(Revoked r, Optional<Cutoff> cutoff) {
    return cutoff.map(c -> r.lastIssued().isBefore(c.coversBefore())).orElse(false);
  }

  /** Whether the role's cutoff, or its holder's, denies every session of a grant. */
  private static boolean covered(Revoked r, State state) {
    return covered(r, state.cutoff()) || byPerson(r, state);
  }

  private static boolean byPerson(Revoked r, State state) {
    Optional<String> person = person(r);
    return person.isPresent()
        && state.persons().stream()
            .anyMatch(
                p ->
                    p.person().equals(person.get())
                        && r.lastIssued().isBefore(p.cutoff().coversBefore()));
  }

  private static boolean named(Revoked r, State state, Tier tier) {
    if (byPerson(r, state)) {
      return false;
    }
    return tier != Tier.AFTER_CUTOFF_ONLY || !covered(r, state.cutoff());
  }

  /** The person part of a grant's source identity, when it has stint's form. */
  static Optional<String> person(Revoked r) {
    String source = r.sourceIdentity();
    int dot = source.indexOf('.');
    return dot == 16 && source.substring(0, dot).matches("[0-9a-f]{16}")
        ? Optional.of(source.substring(0, dot))
        : Optional.empty();
  }

  /** When a grant's entry is no longer needed: its sessions and those chained from them ended. */
  static Instant lastNeeded(Revoked r) {
    return r.chainedUntil().isAfter(r.sessionsUntil()) ? r.chainedUntil() : r.sessionsUntil();
  }

  /**
   * Denies every stint session of the role issued before now: the cutoff lasts until the last
   * revoked session it stands for (or one chained from it, or an earlier per-hour statement) can
   * have ended, and is recorded before it is written, so a retry renders the same document. Only
   * the sessions an earlier cutoff had not already cut count as cut now, and are recorded so.
   */
  private Future<Ended> widen(
      Records records, String role, String grantId, Optional<Instant> latestEarlier, State state) {
    Instant now = clock.instant();
    Instant alreadyCut = state.cutoff().map(Cutoff::issuedBefore).orElse(Instant.EPOCH);
    Instant cutoffAt = now.plus(CLOCK_MARGIN);
    return records
        .revokedUntil(role, now, now)
        .compose(
            until -> {
              Instant last = latest(until.orElse(cutoffAt), latestEarlier.orElse(cutoffAt));
              Cutoff cutoff = new Cutoff(cutoffAt, last, now);
              State widened = new State(Optional.of(cutoff), state.persons());
              return records
                  .saveCutoff(role, cutoff, grantId, now)
                  .compose(
                      x -> writeWidened(records, role, now, widened, Tier.SOURCES_BEFORE_CUTOFF))
                  .compose(
                      chainedKept ->
                          records
                              .confirmEnded(role, clock.instant())
                              .compose(
                                  y ->
                                      records.cutBetween(
                                          role, Optional.empty(), now, alreadyCut, cutoffAt))
                              .map(
                                  cut ->
                                      new Ended(
                                          role,
                                          Optional.of(
                                              new Widened(
                                                  role,
                                                  cutoffAt,
                                                  last,
                                                  cut,
                                                  chainedKept,
                                                  "the role's denies would pass IAM's size"
                                                      + " limit")),
                                          List.of())));
            });
  }

  /** Writes the widened deny; answers whether the covered grants kept their source identities. */
  private Future<Boolean> writeWidened(
      Records records, String role, Instant now, State state, Tier tier) {
    return write(records, role, now, state, tier)
        .compose(
            written -> {
              if (!(written instanceof Written.TooLarge)) {
                return Future.succeededFuture(tier == Tier.SOURCES_BEFORE_CUTOFF);
              }
              return tier == Tier.SOURCES_BEFORE_CUTOFF
                  ? writeWidened(records, role, now, state, Tier.AFTER_CUTOFF_ONLY)
                  : Future.failedFuture(tooLarge(role));
            });
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static MintException tooLarge(String role) {
    return new MintException(
        ErrorCode.INTERNAL,
        "even the widened deny does not fit IAM's limit"
            + " on role "
            + role.substring(role.lastIndexOf('/') + 1)
            + ": the role's other inline"
            + " policies leave no room",
        false,
        null);
  }
}
