package dev.stint.cli.review;

import dev.stint.cli.CliException;
import dev.stint.cli.Table;
import dev.stint.cli.review.ReviewPeople.Item;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code stint access-review decide} sends, worked out from the review as read once and
 * before anything is sent: each {@code --keep} and {@code --remove} resolved to one person, then,
 * with {@code --follow-suggestions}, every other undecided person as their suggestion says. The
 * server decides all or nothing; refusing here what it would refuse (a closed review, a person
 * decided already, one person both kept and removed) lets the message name the word typed. What the
 * server would refuse as a conflict exits as its refusal would ({@link CliException#REFUSED}); what
 * was typed wrong, as a usage error.
 */
final class ReviewDecisions {
  static final String KEEP = "keep";
  static final String REMOVE = "remove";

  /** What was asked on the command line. */
  record Asked(List<String> keep, List<String> remove, boolean followSuggestions) {
    boolean nothing() {
      return keep.isEmpty() && remove.isEmpty() && !followSuggestions;
    }
  }

  /** One person's decision; {@code suggested} when it came from the suggestion, not a flag. */
  record Decision(Item item, String decision, boolean suggested) {}

  private ReviewDecisions() {}

  /** The decisions to send, in the review's order; refused when there are none. */
  static List<Decision> plan(String reviewId, String state, ReviewPeople people, Asked asked) {
    if (!"open".equals(state)) {
      throw new CliException(
          CliException.REFUSED,
          "review " + reviewId + " is " + Table.sanitize(state) + ": nothing can be decided in it");
    }
    Map<Item, Decision> chosen = new LinkedHashMap<>();
    explicit(people, asked.keep(), KEEP, chosen);
    explicit(people, asked.remove(), REMOVE, chosen);
    if (asked.followSuggestions()) {
      for (Item item : people.items()) {
        if (!item.decided() && !chosen.containsKey(item) && known(item.suggested())) {
          chosen.put(item, new Decision(item, item.suggested(), true));
        }
      }
    }
    List<Decision> decisions = new ArrayList<>();
    for (Item item : people.items()) {
      if (chosen.containsKey(item)) {
        decisions.add(chosen.get(item));
      }
    }
    if (decisions.isEmpty()) {
      throw new CliException(
          CliException.USAGE,
          "nothing to decide: everyone in review " + reviewId + " is decided already");
    }
    return decisions;
  }

  private static void explicit(
      ReviewPeople people, List<String> typed, String decision, Map<Item, Decision> chosen) {
    for (String word : typed) {
      Item item = people.resolve(word);
      if (item.decided()) {
        throw new CliException(
            CliException.REFUSED,
            Table.sanitize(word)
                + " is decided already ("
                + Table.sanitize(item.decision())
                + "): a decision is not changed; nothing was sent");
      }
      Decision before = chosen.get(item);
      if (before != null && !before.decision().equals(decision)) {
        throw new CliException(
            CliException.USAGE,
            Table.sanitize(people.label(item))
                + " is both --keep and --remove: choose one; nothing was sent");
      }
      chosen.put(item, new Decision(item, decision, false));
    }
  }

  private static boolean known(String decision) {
    return KEEP.equals(decision) || REMOVE.equals(decision);
  }
}
