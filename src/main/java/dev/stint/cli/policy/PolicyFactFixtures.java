package dev.stint.cli.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.policy.FactCall;
import dev.stint.policy.FactValues;
import dev.stint.policy.FactValues.Seen;
import dev.stint.policy.FactValues.TicketFact;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Facts given instead of looked up, for {@code stint policy test} cases and {@code stint policy
 * explain --facts}: {@code {oncall: {SCHEDULE_ID: true}, ticket: {exists: true, status_category:
 * indeterminate, ...}, fact: {NAME: true, OTHER: {ARGUMENT: false}}}}. A ticket given without
 * {@code exists} exists; its other fields default to empty strings, as a ticket the tracker answers
 * without them. Under {@code fact}, a name given {@code true} or {@code false} is {@code
 * fact("NAME")}; a name given a mapping is {@code fact("NAME", "ARGUMENT")} for each argument.
 */
final class PolicyFactFixtures {
  private static final Set<String> KEYS = Set.of("oncall", "ticket", "fact");
  private static final Set<String> TICKET_KEYS =
      Set.of("exists", "key", "status", "status_category", "assignee_email", "project");
  private static final Set<String> CATEGORIES = Set.of("new", "indeterminate", "done");

  private PolicyFactFixtures() {}

  /** The facts {@code node} gives, each from {@code source}; refuses what it cannot read. */
  static FactValues parse(JsonNode node, String source) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("facts must be a mapping of oncall, ticket and fact");
    }
    unknown("facts", node, KEYS);
    Map<String, Seen<Boolean>> onCall = new TreeMap<>();
    JsonNode schedules = node.path("oncall");
    if (!schedules.isMissingNode()) {
      if (!schedules.isObject()) {
        throw new IllegalArgumentException("facts.oncall must map schedule ids to true or false");
      }
      schedules
          .fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isBoolean()) {
                  throw new IllegalArgumentException(
                      "facts.oncall." + e.getKey() + " must be true or false");
                }
                onCall.put(e.getKey(), Seen.of(e.getValue().asBoolean(), source));
              });
    }
    JsonNode ticket = node.path("ticket");
    Optional<Seen<TicketFact>> t =
        ticket.isMissingNode() ? Optional.empty() : Optional.of(Seen.of(ticket(ticket), source));
    return new FactValues(onCall, t, facts(node.path("fact"), source));
  }

  private static Map<FactCall, Seen<Boolean>> facts(JsonNode node, String source) {
    Map<FactCall, Seen<Boolean>> out = new TreeMap<>();
    if (node.isMissingNode()) {
      return out;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "facts.fact must map provider names to true or false, or to {ARGUMENT: true}");
    }
    node.fields()
        .forEachRemaining(
            e -> {
              String name = e.getKey();
              if (e.getValue().isBoolean()) {
                out.put(FactCall.of(name), Seen.of(e.getValue().asBoolean(), source));
              } else if (e.getValue().isObject()) {
                e.getValue()
                    .fields()
                    .forEachRemaining(
                        a -> {
                          if (!a.getValue().isBoolean()) {
                            throw new IllegalArgumentException(
                                "facts.fact." + name + "." + a.getKey() + " must be true or false");
                          }
                          out.put(
                              FactCall.of(name, a.getKey()),
                              Seen.of(a.getValue().asBoolean(), source));
                        });
              } else {
                throw new IllegalArgumentException(
                    "facts.fact." + name + " must be true or false, or {ARGUMENT: true}");
              }
            });
    return out;
  }

  private static TicketFact ticket(JsonNode t) {
    if (!t.isObject()) {
      throw new IllegalArgumentException("facts.ticket must be a mapping");
    }
    unknown("facts.ticket", t, TICKET_KEYS);
    JsonNode exists = t.path("exists");
    if (!exists.isMissingNode() && !exists.isBoolean()) {
      throw new IllegalArgumentException("facts.ticket.exists must be true or false");
    }
    String category = text(t, "status_category");
    if (!category.isEmpty() && !CATEGORIES.contains(category)) {
      throw new IllegalArgumentException(
          "facts.ticket.status_category must be new, indeterminate or done, not '"
              + category
              + "'");
    }
    return new TicketFact(
        exists.isMissingNode() || exists.asBoolean(),
        text(t, "key"),
        text(t, "status"),
        category,
        text(t, "assignee_email"),
        text(t, "project"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return "";
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("facts.ticket." + field + " must be a string");
    }
    return v.asText();
  }

  private static void unknown(String where, JsonNode node, Set<String> known) {
    List<String> unknown = new ArrayList<>();
    node.fieldNames()
        .forEachRemaining(
            k -> {
              if (!known.contains(k)) {
                unknown.add(k);
              }
            });
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown " + where + " key(s) " + unknown);
    }
  }
}
