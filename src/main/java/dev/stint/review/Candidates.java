package dev.stint.review;

import dev.stint.directory.ActiveUsers;
import dev.stint.error.StintException;
import dev.stint.identity.Directory;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.people.PeopleSeen;
import dev.stint.people.StoredClaims;
import dev.stint.policy.Eligibility;
import dev.stint.policy.Policy;
import dev.stint.policy.Profile;
import dev.stint.review.ReviewItem.EligibleBy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Who may request a profile at a moment, one candidate per person: the directory's active users
 * where the directory is pushed over SCIM (its deprovisioned people left out), else the people
 * stint has seen, each judged by the profile's {@code requesters} rule as {@link Eligibility} asks
 * it ahead of any request (a rule a fact could still turn counts, naming the facts). A user stint
 * cannot name a person for (no subject yet: never signed in, matched by a claim other than {@code
 * sub}) is left out: nothing could be suspended in their name, and they hold nothing yet. The rules
 * are evaluated on a worker, never on an event loop.
 */
final class Candidates {
  /** The most people one review lists: past it, opening is refused rather than cut short. */
  static final int MAX_PEOPLE = 5_000;

  /** The most people seen one review judges: past it, opening is refused rather than cut short. */
  static final int SEEN_READ = MAX_PEOPLE * 4;

  private static StintException tooManySeen() {
    return StintException.invalid(
        "stint has seen more than "
            + SEEN_READ
            + " people, more than one review judges without a directory: push the directory"
            + " over SCIM (docs/directory.md) so reviews read its active users");
  }

  /** A person eligible for the profile, and why. */
  record Candidate(Person person, Principal principal, EligibleBy eligibleBy) {}

  private final ActiveUsers directory;
  private final PeopleSeen seen;
  private final Directory standing;
  private final Supplier<DirectoryPrincipals> principals;
  private final BooleanSupplier directoryOn;
  private final WorkerExecutor workers;

  Candidates(Sources sources, Supplier<DirectoryPrincipals> principals, WorkerExecutor workers) {
    this.directory = sources.directory();
    this.seen = sources.seen();
    this.standing = sources.standing();
    this.directoryOn = sources.directoryOn();
    this.principals = principals;
    this.workers = workers;
  }

  /**
   * Where people are found: the directory's active users (when {@code directoryOn}), the people
   * seen otherwise, and what the directory says of each person now.
   */
  record Sources(
      ActiveUsers directory, PeopleSeen seen, Directory standing, BooleanSupplier directoryOn) {}

  /** The people eligible for {@code profile} under {@code policy} at {@code now}. */
  Future<List<Candidate>> of(Policy policy, Profile profile, Instant now) {
    if (directoryOn.getAsBoolean()) {
      return users("", new ArrayList<>())
          .compose(users -> judged(() -> fromDirectory(policy, profile, users, now)));
    }
    return seen.recent(Instant.EPOCH, SEEN_READ + 1)
        .compose(
            people ->
                people.size() > SEEN_READ
                    ? Future.failedFuture(tooManySeen())
                    : judged(() -> fromSeen(policy, profile, people, now)));
  }

  private Future<List<ActiveUsers.User>> users(String after, List<ActiveUsers.User> all) {
    return directory
        .after(after, ActiveUsers.MAX_PAGE)
        .compose(
            page -> {
              all.addAll(page);
              return page.size() < ActiveUsers.MAX_PAGE
                  ? Future.succeededFuture(all)
                  : users(page.get(page.size() - 1).id(), all);
            });
  }

  private Future<List<Candidate>> judged(Callable<List<Candidate>> work) {
    return workers.executeBlocking(work, false);
  }

  private List<Candidate> fromDirectory(
      Policy policy, Profile profile, List<ActiveUsers.User> users, Instant now) {
    onWorker();
    Eligibility rules = new Eligibility(now);
    Map<Person, Candidate> out = new LinkedHashMap<>();
    DirectoryPrincipals judge = principals.get();
    for (ActiveUsers.User u : users) {
      DirectoryPrincipals.Judged judged = judge.of(policy, u);
      Principal p = judged.principal();
      if (p.issuer().isEmpty()
          || p.subject().isEmpty()
          || standing.standing(p.person()) instanceof Directory.Standing.Deprovisioned) {
        continue;
      }
      add(out, rules, profile, p, judged.basis().code());
    }
    return list(out);
  }

  private List<Candidate> fromSeen(
      Policy policy, Profile profile, List<PeopleSeen.Seen> people, Instant now) {
    onWorker();
    Eligibility rules = new Eligibility(now);
    Map<Person, Candidate> out = new LinkedHashMap<>();
    for (PeopleSeen.Seen s : people) {
      StoredClaims.principal(s.principal(), s.issuer(), s.subject(), policy::issuer, standing)
          .ifPresent(p -> add(out, rules, profile, p, DirectoryPrincipals.Basis.CLAIMS.code()));
    }
    return list(out);
  }

  private static void add(
      Map<Person, Candidate> out, Eligibility rules, Profile profile, Principal p, String basis) {
    Eligibility.Judged judged = rules.mayRequest(p, profile);
    if (judged.answer() == Eligibility.Answer.NO) {
      return;
    }
    Person key = new Person(p.issuer(), p.subject(), Optional.empty());
    out.putIfAbsent(
        key,
        new Candidate(
            p.person(),
            p,
            new EligibleBy(profile.requesters().source(), p.groups(), basis, judged.factNames())));
    if (out.size() > MAX_PEOPLE) {
      throw StintException.invalid(
          "more than "
              + MAX_PEOPLE
              + " people may request profile "
              + profile.name()
              + "; one review lists at most that many: narrow its requesters rule");
    }
  }

  private static List<Candidate> list(Map<Person, Candidate> out) {
    List<Candidate> sorted = new ArrayList<>(out.values());
    sorted.sort(
        Comparator.comparing((Candidate c) -> c.person().issuer())
            .thenComparing(c -> c.person().subject()));
    return sorted;
  }

  private static void onWorker() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("eligibility must be judged off the event loop");
    }
  }
}
