package dev.stint.access;

import dev.stint.identity.Person;
import dev.stint.policy.FactContext;
import dev.stint.policy.FactValues;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The facts looked up lately, by person (on call), by ticket, and by person and request (the
 * answers of the server's own providers, which are about both), for what is only shown: which
 * requests a list holds and which buttons a page offers. A decision never reads them: it looks its
 * facts up again. Kept a minute; the oldest are dropped once too many people are known.
 */
final class KnownFacts {
  static final Duration KEPT = Duration.ofMinutes(1);
  private static final int MAX_ENTRIES = 10_000;

  private record Entry(FactValues facts, Instant at) {}

  private final Map<String, Entry> people = new ConcurrentHashMap<>();
  private final Map<String, Entry> tickets = new ConcurrentHashMap<>();
  private final Map<String, Entry> answers = new ConcurrentHashMap<>();

  /** What a lookup about {@code person} and {@code request} found at {@code at}. */
  void remember(Person person, Optional<FactContext.Asked> request, FactValues looked, Instant at) {
    if (looked.isEmpty()) {
      return;
    }
    keep(people, key(person), looked.onCallOnly(), at);
    request
        .flatMap(FactContext.Asked::ticket)
        .ifPresent(t -> keep(tickets, t, looked.ticketOnly(), at));
    request
        .flatMap(FactContext.Asked::id)
        .ifPresent(id -> keep(answers, key(person) + "\n" + id, looked.answersOnly(), at));
  }

  /** The facts known about {@code person} and request {@code r} at {@code now}; none when stale. */
  FactValues of(Person person, AccessRequest r, Instant now) {
    FactValues known = fresh(people.get(key(person)), now);
    if (r.ticket().isPresent()) {
      known = known.with(fresh(tickets.get(r.ticket().get()), now));
    }
    return known.with(fresh(answers.get(key(person) + "\n" + r.id()), now));
  }

  private static void keep(Map<String, Entry> map, String key, FactValues facts, Instant at) {
    if (facts.isEmpty()) {
      return;
    }
    if (map.size() >= MAX_ENTRIES) {
      map.entrySet().removeIf(e -> e.getValue().at().plus(KEPT).isBefore(at));
      if (map.size() >= MAX_ENTRIES) {
        map.clear();
      }
    }
    // Replaced, not merged: facts merged in from an older lookup would take this one's time and
    // could be shown as fresh for as long as lookups keep coming.
    map.put(key, new Entry(facts, at));
  }

  private static FactValues fresh(Entry e, Instant now) {
    return e == null || e.at().plus(KEPT).isBefore(now) ? FactValues.NONE : e.facts();
  }

  private static String key(Person p) {
    return p.issuer() + "\n" + p.subject();
  }
}
