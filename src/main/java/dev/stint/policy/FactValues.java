package dev.stint.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The facts one decision sees, looked up before it: whether the person decided about is on call in
 * each schedule asked, the request's ticket, and what the server's own providers answered to each
 * {@code fact(NAME, ARGUMENT)} asked (about that person and that request). A fact that was not
 * looked up, or whose lookup failed, is false with its error: conditions fail closed on it, and the
 * error is recorded. Every fact a decision used is in {@link #recorded()}, for its audit event.
 */
public final class FactValues {
  /** No fact looked up: every one is false, with the reason. */
  public static final FactValues NONE = new FactValues(Map.of(), Optional.empty(), Map.of());

  /** A fact as seen: its value, where it came from and, when the lookup failed, why. */
  public record Seen<T>(T value, String source, Optional<String> error) {
    public static <T> Seen<T> of(T value, String source) {
      return new Seen<>(value, source, Optional.empty());
    }

    public static <T> Seen<T> failed(T fallback, String source, String error) {
      return new Seen<>(fallback, source, Optional.of(error));
    }
  }

  /**
   * The request's ticket as CEL's {@code ticket} holds it: {@code exists} false when there is no
   * ticket, the tracker has none by that key, or the lookup failed.
   */
  public record TicketFact(
      boolean exists,
      String key,
      String status,
      String statusCategory,
      String assigneeEmail,
      String project) {
    public static final TicketFact ABSENT = new TicketFact(false, "", "", "", "", "");

    public static TicketFact absent(String key) {
      return new TicketFact(false, key, "", "", "", "");
    }

    /**
     * The ticket as CEL reads it: {@code exists} always, every other field only when the tracker
     * gave it. A condition that reads a field the ticket does not have fails, and so counts as
     * false: an unassigned ticket's assignee is no one, never the {@code ""} of a token without an
     * email, and a ticket that could not be looked up is in no status at all.
     */
    Map<String, Object> cel() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("exists", exists);
      putKnown(m, "key", key);
      if (exists) {
        putKnown(m, "status", status);
        putKnown(m, "status_category", statusCategory);
        putKnown(m, "assignee_email", assigneeEmail);
        putKnown(m, "project", project);
      }
      return m;
    }

    /** Every field as looked up, for the audit record. */
    Map<String, Object> recorded() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("exists", exists);
      m.put("key", key);
      m.put("status", status);
      m.put("status_category", statusCategory);
      m.put("assignee_email", assigneeEmail);
      m.put("project", project);
      return m;
    }

    private static void putKnown(Map<String, Object> m, String field, String value) {
      if (!value.isEmpty()) {
        m.put(field, value);
      }
    }
  }

  private final Map<String, Seen<Boolean>> onCall;
  private final Optional<Seen<TicketFact>> ticket;
  private final Map<FactCall, Seen<Boolean>> facts;

  /** The on-call and ticket facts, no {@code fact()} asked. */
  public FactValues(Map<String, Seen<Boolean>> onCall, Optional<Seen<TicketFact>> ticket) {
    this(onCall, ticket, Map.of());
  }

  public FactValues(
      Map<String, Seen<Boolean>> onCall,
      Optional<Seen<TicketFact>> ticket,
      Map<FactCall, Seen<Boolean>> facts) {
    this.onCall = Collections.unmodifiableMap(new TreeMap<>(onCall));
    this.ticket = ticket;
    this.facts = Collections.unmodifiableMap(new TreeMap<>(facts));
  }

  /** Every fact {@code needs} names, unknown for {@code error}. */
  public static FactValues unavailable(FactNeeds needs, String error) {
    Map<String, Seen<Boolean>> onCall = new TreeMap<>();
    needs.schedules().forEach(s -> onCall.put(s, Seen.failed(false, "none", error)));
    Map<FactCall, Seen<Boolean>> asked = new TreeMap<>();
    needs.facts().forEach(c -> asked.put(c, Seen.failed(false, "none", error)));
    return new FactValues(
        onCall,
        needs.ticket()
            ? Optional.of(Seen.failed(TicketFact.ABSENT, "none", error))
            : Optional.empty(),
        asked);
  }

  /**
   * The on-call facts alone (about the person), without the ticket or the providers' answers (those
   * are about a person and a request together).
   */
  public FactValues onCallOnly() {
    return new FactValues(onCall, Optional.empty());
  }

  /** The ticket fact alone (about the request), without the person's or the providers'. */
  public FactValues ticketOnly() {
    return new FactValues(Map.of(), ticket);
  }

  /** The providers' answers alone (about the person and one request), without the others. */
  public FactValues answersOnly() {
    return new FactValues(Map.of(), Optional.empty(), facts);
  }

  /** What this holds a value for, as the needs that would have asked for it. */
  public FactNeeds held() {
    return new FactNeeds(onCall.keySet(), ticket.isPresent(), facts.keySet());
  }

  /** Whether no fact was looked up at all. */
  public boolean isEmpty() {
    return onCall.isEmpty() && ticket.isEmpty() && facts.isEmpty();
  }

  /** What the provider answered to {@code call}; false when not asked or when the lookup failed. */
  boolean fact(FactCall call) {
    Seen<Boolean> seen = facts.get(call);
    return seen != null && seen.error().isEmpty() && seen.value();
  }

  /** Whether the person is on call in {@code schedule}; false when not looked up or failed. */
  boolean onCall(String schedule) {
    Seen<Boolean> seen = onCall.get(schedule);
    return seen != null && seen.error().isEmpty() && seen.value();
  }

  /** The ticket as CEL sees it; absent when not looked up or failed. */
  TicketFact ticket() {
    return ticket.filter(t -> t.error().isEmpty()).map(Seen::value).orElse(TicketFact.ABSENT);
  }

  /**
   * A fact as an audit event records it: {@code name}, {@code value}, {@code source}, {@code
   * error}.
   */
  public record Recorded(
      String name, Object value, String source, Optional<String> error, Optional<String> argument) {
    public Recorded(String name, Object value, String source, Optional<String> error) {
      this(name, value, source, error, Optional.empty());
    }

    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      argument.ifPresent(a -> m.put("argument", a));
      m.put("value", value);
      m.put("source", source);
      error.ifPresent(e -> m.put("error", e));
      return m;
    }
  }

  /** Every fact looked up as JSON-ready maps, for an event's {@code details.facts}. */
  public List<Map<String, Object>> json() {
    return recorded().stream().map(Recorded::json).toList();
  }

  /** Every fact looked up, in a stable order, as the decision's event records them. */
  List<Recorded> recorded() {
    List<Recorded> out = new ArrayList<>();
    onCall.forEach(
        (schedule, seen) ->
            out.add(
                new Recorded(
                    "oncall(" + schedule + ")", seen.value(), seen.source(), seen.error())));
    ticket.ifPresent(
        seen ->
            out.add(new Recorded("ticket", seen.value().recorded(), seen.source(), seen.error())));
    facts.forEach(
        (call, seen) ->
            out.add(
                new Recorded(
                    call.toString(), seen.value(), seen.source(), seen.error(), call.argument())));
    return out;
  }

  /**
   * The facts {@code needs} names as this decision saw them, for a refusal to name them: such as
   * {@code oncall(PABC123) false; ticket OPS-1 status_category done} or {@code oncall(PABC123)
   * unknown (PagerDuty answered 503)}.
   */
  public String describe(FactNeeds needs) {
    List<String> parts = new ArrayList<>();
    for (String s : needs.schedules()) {
      Seen<Boolean> seen = onCall.get(s);
      parts.add(
          "oncall("
              + s
              + ") "
              + (seen == null
                  ? "not looked up"
                  : seen.error().map(e -> "unknown (" + e + ")").orElse(seen.value().toString())));
    }
    if (needs.ticket()) {
      parts.add(
          ticket
              .map(
                  seen ->
                      seen.error()
                          .map(e -> "ticket unknown (" + e + ")")
                          .orElseGet(() -> describe(seen.value())))
              .orElse("ticket not looked up"));
    }
    for (FactCall c : needs.facts()) {
      Seen<Boolean> seen = facts.get(c);
      parts.add(
          c
              + " "
              + (seen == null
                  ? "not looked up"
                  : seen.error().map(e -> "unknown (" + e + ")").orElse(seen.value().toString())));
    }
    return String.join("; ", parts);
  }

  /**
   * The facts {@code needs} names for a refusal the caller reads: on call as seen, the ticket only
   * named (what the tracker holds about a ticket is for the audit record, not for whoever typed its
   * key), a provider's answer as true, false or unknown, without the error (the provider's own
   * words, its status or its address, are for the audit record).
   */
  public String describeForCaller(FactNeeds needs) {
    List<String> parts = new ArrayList<>();
    String onCallOnly = onCallOnly().describe(new FactNeeds(needs.schedules(), false));
    if (!onCallOnly.isEmpty()) {
      parts.add(onCallOnly);
    }
    if (needs.ticket()) {
      parts.add("ticket");
    }
    for (FactCall c : needs.facts()) {
      Seen<Boolean> seen = facts.get(c);
      parts.add(
          c
              + " "
              + (seen == null || seen.error().isPresent() ? "unknown" : seen.value().toString()));
    }
    return String.join("; ", parts);
  }

  /**
   * A ticket fact for people. One without a key was still given when it exists: a facts file (or a
   * policy test) may give the ticket's fields and leave its key out.
   */
  private static String describe(TicketFact t) {
    if (t.key().isEmpty() && !t.exists()) {
      return "no ticket given";
    }
    String named = t.key().isEmpty() ? "the ticket" : "ticket " + t.key();
    return t.exists()
        ? named + " status_category " + t.statusCategory()
        : named + " does not exist";
  }

  /** The first failed lookup among {@code needs}, named, for a refusal to say which fact. */
  public Optional<String> failure(FactNeeds needs) {
    for (String s : needs.schedules()) {
      Seen<Boolean> seen = onCall.get(s);
      if (seen == null) {
        return Optional.of("oncall(" + s + ") was not looked up");
      }
      if (seen.error().isPresent()) {
        return Optional.of("oncall(" + s + ") is unknown: " + seen.error().get());
      }
    }
    if (needs.ticket()) {
      if (ticket.isEmpty()) {
        return Optional.of("ticket was not looked up");
      }
      if (ticket.get().error().isPresent()) {
        return Optional.of("ticket is unknown: " + ticket.get().error().get());
      }
    }
    for (FactCall c : needs.facts()) {
      Seen<Boolean> seen = facts.get(c);
      if (seen == null) {
        return Optional.of(c + " was not looked up");
      }
      if (seen.error().isPresent()) {
        return Optional.of(c + " is unknown: " + seen.error().get());
      }
    }
    return Optional.empty();
  }

  /** This and {@code other}'s facts together; this one's win where both have one. */
  public FactValues with(FactValues other) {
    Map<String, Seen<Boolean>> all = new TreeMap<>(other.onCall);
    all.putAll(onCall);
    Map<FactCall, Seen<Boolean>> asked = new TreeMap<>(other.facts);
    asked.putAll(facts);
    return new FactValues(all, ticket.isPresent() ? ticket : other.ticket, asked);
  }

  /**
   * This, with each provider's answer holding only where {@code other} has the same answer: the
   * same facts asked about two requests decided together (a bundle), so an answer about one request
   * is never taken for the other. A fact unknown or missing in either, or answered differently, is
   * unknown, and any condition reading it is false.
   */
  public FactValues answeredForEach(FactValues other) {
    Map<FactCall, Seen<Boolean>> both = new TreeMap<>();
    Set<FactCall> calls = new TreeSet<>(facts.keySet());
    calls.addAll(other.facts.keySet());
    for (FactCall c : calls) {
      Seen<Boolean> mine = facts.get(c);
      Seen<Boolean> theirs = other.facts.get(c);
      if (mine == null || theirs == null) {
        Seen<Boolean> known = mine == null ? theirs : mine;
        both.put(c, Seen.failed(false, known.source(), "not looked up for every request"));
      } else if (mine.error().isPresent()) {
        both.put(c, mine);
      } else if (theirs.error().isPresent()) {
        both.put(c, theirs);
      } else if (mine.value().equals(theirs.value())) {
        both.put(c, mine);
      } else {
        // One answer for all would be a yes to a negated fact for the request it is false of.
        both.put(
            c, Seen.failed(false, mine.source(), "differs between the requests decided together"));
      }
    }
    return new FactValues(onCall, ticket, both);
  }

  Map<String, Object> ticketVariable() {
    return ticket().cel();
  }

  @Override
  public String toString() {
    return "FactValues" + recorded();
  }
}
