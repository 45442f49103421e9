package dev.stint.review;

import dev.stint.identity.Person;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One person under review: why they are eligible, the evidence of their use of the profile as it
 * stood when the review opened, the suggestion drawn from it, whether a review had already
 * suspended them then, and the decision once made.
 */
public record ReviewItem(
    Person person,
    EligibleBy eligibleBy,
    Evidence evidence,
    Suggestion suggestion,
    boolean suspended,
    Optional<Decision> decision) {

  /**
   * Why a person may request the profile: its {@code requesters} rule, the groups they are in, how
   * they were judged ({@code directory}: what the directory says; {@code claims}: their claims as
   * last verified, with the directory's groups), and the facts a conditional rule waits on.
   */
  public record EligibleBy(
      String rule, List<String> groups, String basis, List<String> conditionalOn) {
    public EligibleBy {
      groups = List.copyOf(groups);
      conditionalOn = List.copyOf(conditionalOn);
    }
  }

  /**
   * Their use of the profile: grants approved in the review's period, when a credential of it was
   * last handed out to them (ever), the calls seen on those grants, those grants that ended without
   * a call seen, and how many of those could have made calls stint cannot see (data events without
   * the push, an Azure token's reads, a console link's session: {@code activity.Visibility}); empty
   * for reviews opened before that was counted.
   */
  public record Evidence(
      int grants,
      Optional<Instant> lastMinted,
      long calls,
      int unusedGrants,
      Optional<Integer> unusedUnseen) {
    /** How many unused grants could have been used unseen; all of them when it was not counted. */
    public int unseenOrAll() {
      return unusedUnseen.orElse(unusedGrants);
    }
  }

  /** Keep or remove. */
  public enum Choice {
    KEEP,
    REMOVE;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The choice a wire or a form names, or empty for anything else. */
    public static Optional<Choice> of(String code) {
      return switch (code) {
        case "keep" -> Optional.of(KEEP);
        case "remove" -> Optional.of(REMOVE);
        default -> Optional.empty();
      };
    }
  }

  /** What the evidence suggests, and why in words a reviewer reads. */
  public record Suggestion(Choice choice, String why) {}

  /**
   * A decision: by a reviewer, or by the review's {@code when_overdue} when nobody decided in time
   * ({@code by} empty, {@code overdue}).
   */
  public record Decision(
      Choice choice, Optional<Person> by, Instant at, Optional<String> comment, boolean overdue) {}
}
