package dev.stint.http;

import dev.stint.directory.ActiveUsers;
import dev.stint.error.StintException;
import dev.stint.identity.Directory;
import dev.stint.identity.MatchClaim;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.policy.Eligibility;
import dev.stint.policy.Policy;
import dev.stint.policy.Profile;
import dev.stint.review.DirectoryPrincipals;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Who holds access ({@code GET /v1/reports/eligible}, docs/directory.md): for each profile of the
 * policy in force, which of the directory's active users may request it and which approve others'
 * requests of it, stage by stage, as {@link Eligibility} judges them ahead of any request.
 *
 * <p>Each user is judged as a decision would see them: a user matched to a person stint has seen
 * with that person's claims as last verified, under the directory's groups ({@code basis: claims});
 * anyone else with what the directory alone says ({@code basis: directory}). Fact providers are
 * never called: a rule reading a fact is conditional.
 *
 * <p>Steps: 1. the profiles asked for, from the policy in force (an unknown one refused before any
 * read); 2. one page of active users ({@link #PAGE}, in id order, from the cursor); 3. each user's
 * principal; 4. every rule of every profile asked for evaluated on a worker, never on an event loop
 * (500 users by 100 profiles of three rules is 150,000 evaluations); 5. the page, with the cursor
 * of the next.
 */
public final class EligibilityReport {
  /** Users one page judges: bounds the work of one call whatever the directory holds. */
  public static final int PAGE = 500;

  /** Threads judging reports: a pool of their own, so a report queues behind no one else. */
  static final int THREADS = 1;

  /** How a user was judged: from a person's verified claims, or from the directory alone. */
  public enum Basis {
    CLAIMS,
    DIRECTORY
  }

  /** A user, and the principal the rules were asked about. */
  public record Subject(ActiveUsers.User user, Basis basis, Principal principal) {}

  /** One user listed against one rule: yes, or conditional with the facts it waits on. */
  public record Listed(String userId, Eligibility.Judged judged) {}

  /** A stage's approvers, and its escalation's when it escalates. */
  public record StageList(
      String name, int count, List<Listed> approvers, Optional<List<Listed>> escalation) {}

  /** One profile: its requesters and its stages' approvers among the page's users. */
  public record ProfileList(String name, List<Listed> requesters, List<StageList> stages) {}

  /**
   * One page: the policy's hash (pages of one report share it unless the policy changed between
   * them), the users listed anywhere on it, and the cursor of the next page when there is one.
   */
  public record Page(
      String policy, List<Subject> users, List<ProfileList> profiles, Optional<String> next) {}

  private final ActiveUsers directory;
  private final Supplier<Policy> policy;
  private final Supplier<Optional<String>> directoryIssuer;
  private final MatchClaim matchClaim;
  private final Directory standing;
  private final WorkerExecutor workers;
  private final Clock clock;

  /**
   * {@code directoryIssuer}: the policy's name of {@code directory.issuer}, when it is set; {@code
   * matchClaim}: the claim a user's externalId holds the value of ({@code directory.match_claim});
   * {@code standing}: what the directory says of each person now, so that someone it deprovisioned
   * (an active user whose person another, deactivated, user also is) is listed nowhere.
   */
  public EligibilityReport(
      Vertx vertx,
      ActiveUsers directory,
      Supplier<Policy> policy,
      Supplier<Optional<String>> directoryIssuer,
      MatchClaim matchClaim,
      Directory standing,
      Clock clock) {
    this.matchClaim = matchClaim;
    this.standing = standing;
    this.workers = vertx.createSharedWorkerExecutor("stint-reports", THREADS);
    this.directory = directory;
    this.policy = policy;
    this.directoryIssuer = directoryIssuer;
    this.clock = clock;
  }

  /** The page after {@code cursor} (from the first without one), of {@code profile} or all. */
  public Future<Page> page(Optional<String> profile, Optional<String> cursor) {
    // 1.
    Policy p = policy.get();
    List<Profile> profiles =
        profile
            .map(name -> List.of(p.profile(name).orElseThrow(() -> unknown(name))))
            .orElseGet(() -> List.copyOf(p.profiles().values()));
    Instant now = clock.instant();
    // 2.
    return directory
        .after(cursor.orElse(""), PAGE)
        // 3. to 5.
        .compose(users -> workers.executeBlocking(() -> judge(p, profiles, users, now), false));
  }

  private static StintException unknown(String name) {
    return StintException.notFound("the policy has no profile '" + name + "'");
  }

  private Page judge(Policy p, List<Profile> profiles, List<ActiveUsers.User> users, Instant now) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("eligibility must be judged off the event loop");
    }
    List<Subject> people = new ArrayList<>();
    users.stream().filter(this::notDeprovisioned).forEach(u -> people.add(principal(p, u)));
    Eligibility rules = new Eligibility(now);
    Set<String> listed = new LinkedHashSet<>();
    List<ProfileList> out = new ArrayList<>();
    for (Profile profile : profiles) {
      out.add(profile(rules, profile, people, listed));
    }
    Optional<String> next =
        users.size() < PAGE ? Optional.empty() : Optional.of(users.get(users.size() - 1).id());
    return new Page(
        p.contentHash(),
        people.stream().filter(j -> listed.contains(j.user().id())).toList(),
        out,
        next);
  }

  private static ProfileList profile(
      Eligibility rules, Profile profile, List<Subject> people, Set<String> listed) {
    List<Listed> requesters = new ArrayList<>();
    Map<String, StageList> stages = new LinkedHashMap<>();
    profile
        .approval()
        .stages()
        .forEach(
            s ->
                stages.put(
                    s.name(),
                    new StageList(
                        s.name(),
                        s.count(),
                        new ArrayList<>(),
                        s.escalation().<List<Listed>>map(e -> new ArrayList<>()))));
    for (Subject j : people) {
      String id = j.user().id();
      add(requesters, id, rules.mayRequest(j.principal(), profile), listed);
      for (Eligibility.StageJudged s : rules.mayApprove(j.principal(), profile)) {
        StageList stage = stages.get(s.stage().name());
        add(stage.approvers(), id, s.approves(), listed);
        s.onEscalation().ifPresent(e -> add(stage.escalation().orElseThrow(), id, e, listed));
      }
    }
    return new ProfileList(profile.name(), requesters, List.copyOf(stages.values()));
  }

  private static void add(List<Listed> to, String id, Eligibility.Judged j, Set<String> listed) {
    if (j.answer() != Eligibility.Answer.NO) {
      to.add(new Listed(id, j));
      listed.add(id);
    }
  }

  private boolean notDeprovisioned(ActiveUsers.User u) {
    return u.match()
        .map(m -> standing.standing(new Person(m.issuer(), m.subject(), Optional.empty())))
        .filter(Directory.Standing.Deprovisioned.class::isInstance)
        .isEmpty();
  }

  /** The principal a decision would see for {@code u} ({@link DirectoryPrincipals}). */
  Subject principal(Policy p, ActiveUsers.User u) {
    DirectoryPrincipals.Judged judged =
        new DirectoryPrincipals(directoryIssuer.get(), matchClaim).of(p, u);
    return new Subject(
        u,
        judged.basis() == DirectoryPrincipals.Basis.CLAIMS ? Basis.CLAIMS : Basis.DIRECTORY,
        judged.principal());
  }
}
