package dev.stint.rightsize;

import dev.stint.activity.ProfileCalls;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The calls a profile's credentials made, as the IAM actions they needed: each call's actions
 * ({@link IamActions}), summed per action over its resources. An action seen on a resource its
 * record did not name ({@code *}) needs {@code *}, which covers the rest. Calls that need no
 * permission, and calls that are not AWS's, need nothing here.
 */
final class Evidence {
  static final String ANY = "*";

  private Evidence() {}

  /** The observed actions, sorted by name, each with its resources sorted. */
  static List<Suggestion.Observed> observed(List<ProfileCalls.Call> calls, IamActions mapping) {
    Map<String, Tally> byAction = new TreeMap<>();
    for (ProfileCalls.Call c : calls) {
      for (String action : mapping.actions(c.source(), c.name())) {
        byAction.computeIfAbsent(action, a -> new Tally()).add(c);
      }
    }
    List<Suggestion.Observed> out = new ArrayList<>();
    byAction.forEach(
        (action, t) ->
            out.add(
                new Suggestion.Observed(
                    action,
                    t.count,
                    t.resources.contains(ANY) ? List.of(ANY) : List.copyOf(t.resources),
                    t.last)));
    return out;
  }

  /** How many calls the evidence holds that no IAM action could be read for. */
  static long unread(List<ProfileCalls.Call> calls, IamActions mapping) {
    return calls.stream()
        .filter(c -> !mapping.known(c.source(), c.name()))
        .mapToLong(ProfileCalls.Call::calls)
        .sum();
  }

  private static final class Tally {
    long count;
    final TreeSet<String> resources = new TreeSet<>();
    Instant last = Instant.EPOCH;

    void add(ProfileCalls.Call c) {
      count += c.calls();
      resources.add(c.resource());
      if (c.lastAt().isAfter(last)) {
        last = c.lastAt();
      }
    }
  }
}
