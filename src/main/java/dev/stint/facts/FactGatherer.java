package dev.stint.facts;

import dev.stint.policy.FactCall;
import dev.stint.policy.FactContext;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.FactValues;
import dev.stint.policy.FactValues.Seen;
import dev.stint.policy.FactValues.TicketFact;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Looks up the facts one decision reads, all at once, from the providers configured: whether a
 * person (by the email their token carries) is on call in each schedule asked, the request's
 * ticket, and each {@code fact(NAME, ARGUMENT)} from the server's own provider of that name. The
 * answer never fails: a provider that is not configured, fails, refuses or is too slow gives the
 * fact false with the error, so the decision fails closed and its event says why.
 */
public final class FactGatherer implements FactSource {
  static final String PAGERDUTY = "pagerduty";
  static final String JIRA = "jira";

  /** An address of printable ASCII, one @: the only kind matched with PagerDuty's users. */
  private static final Pattern ASCII_EMAIL =
      Pattern.compile("[\\x21-\\x3f\\x41-\\x7e]+@[\\x21-\\x3f\\x41-\\x7e]+");

  private final Optional<OnCallDirectory> onCall;
  private final Optional<TicketTracker> tickets;
  private final Map<String, FactProvider> providers;

  /** PagerDuty and Jira, no provider of the server's own. */
  public FactGatherer(Optional<OnCallDirectory> onCall, Optional<TicketTracker> tickets) {
    this(onCall, tickets, Map.of());
  }

  /** With {@code providers}, the server's own, by name ({@code facts.http.NAME}). */
  public FactGatherer(
      Optional<OnCallDirectory> onCall,
      Optional<TicketTracker> tickets,
      Map<String, FactProvider> providers) {
    this.onCall = onCall;
    this.tickets = tickets;
    this.providers = Map.copyOf(providers);
  }

  /** The facts {@code needs} names, about {@code about}: its person and its request. */
  @Override
  public Future<FactValues> gather(FactNeeds needs, FactContext about) {
    Map<String, Future<Seen<Boolean>>> schedules = new TreeMap<>();
    for (String schedule : needs.schedules()) {
      schedules.put(schedule, onCall(schedule, about.who().email()));
    }
    Optional<Future<Seen<TicketFact>>> looked =
        needs.ticket() ? Optional.of(ticket(about.ticket())) : Optional.empty();
    Map<FactCall, Future<Seen<Boolean>>> asked = new TreeMap<>();
    for (FactCall call : needs.facts()) {
      asked.put(call, fact(call, about));
    }
    List<Future<?>> all = new ArrayList<>(schedules.values());
    looked.ifPresent(all::add);
    all.addAll(asked.values());
    return Future.join(all)
        .transform(
            x -> {
              Map<String, Seen<Boolean>> seen = new TreeMap<>();
              schedules.forEach((s, f) -> seen.put(s, f.result()));
              Map<FactCall, Seen<Boolean>> answered = new TreeMap<>();
              asked.forEach((c, f) -> answered.put(c, f.result()));
              return Future.succeededFuture(
                  new FactValues(seen, looked.map(Future::result), answered));
            });
  }

  /**
   * A provider the policy names but the server does not have fails like any other lookup: a check
   * is never skipped because it was not configured (and {@code stint policy check} cannot know the
   * server's configuration to refuse it earlier).
   */
  private Future<Seen<Boolean>> fact(FactCall call, FactContext about) {
    String source = "http:" + call.name();
    FactProvider provider = providers.get(call.name());
    if (provider == null) {
      return Future.succeededFuture(
          Seen.failed(false, source, "facts.http." + call.name() + " is not configured"));
    }
    Future<Boolean> answer;
    try {
      answer = provider.ask(call, about);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    return answer
        .map(value -> Seen.of(Boolean.TRUE.equals(value), source))
        .otherwise(e -> Seen.failed(false, source, message(e)));
  }

  private Future<Seen<Boolean>> onCall(String schedule, Optional<String> email) {
    if (onCall.isEmpty()) {
      return Future.succeededFuture(
          Seen.failed(false, PAGERDUTY, "facts.pagerduty is not configured"));
    }
    if (email.isEmpty()) {
      return Future.succeededFuture(
          Seen.failed(false, PAGERDUTY, "no verified email to match with PagerDuty's users"));
    }
    if (!ASCII_EMAIL.matcher(email.get()).matches()) {
      // Folding other scripts' letters (KELVIN SIGN to k) would match somebody else's address.
      return Future.succeededFuture(
          Seen.failed(false, PAGERDUTY, "only plain ASCII email addresses are matched"));
    }
    String who = email.get().toLowerCase(Locale.ROOT);
    return onCall
        .get()
        .onCall(schedule)
        .map(emails -> Seen.of(emails.contains(who), PAGERDUTY))
        .otherwise(e -> Seen.failed(false, PAGERDUTY, message(e)));
  }

  private Future<Seen<TicketFact>> ticket(Optional<String> key) {
    if (key.isEmpty() || key.get().isBlank()) {
      return Future.succeededFuture(Seen.of(TicketFact.ABSENT, "request"));
    }
    if (tickets.isEmpty()) {
      return Future.succeededFuture(
          Seen.failed(TicketFact.absent(key.get()), JIRA, "facts.jira is not configured"));
    }
    String k = key.get().strip();
    return tickets
        .get()
        .ticket(k)
        .map(
            found ->
                Seen.of(
                    found
                        .map(
                            t ->
                                new TicketFact(
                                    true,
                                    t.key(),
                                    t.status(),
                                    t.statusCategory(),
                                    t.assigneeEmail().orElse(""),
                                    t.project()))
                        .orElse(TicketFact.absent(k)),
                    JIRA))
        .otherwise(e -> Seen.failed(TicketFact.absent(k), JIRA, message(e)));
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
