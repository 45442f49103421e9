package dev.stint.rightsize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.common.AwsPolicyAllows;
import dev.stint.common.AwsPolicyContainment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The session-policy statements that allow exactly what was observed (one Allow per set of
 * resources, its actions listed), and what stint proves of them: that they are within today's
 * statements ({@link AwsPolicyContainment}) and allow every observed action on its resources
 * ({@link AwsPolicyAllows}); and which of today's Allow action patterns no observed action matched.
 * Pure.
 */
final class SuggestedPolicy {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SuggestedPolicy() {}

  /** The statements, a compact JSON array; the same observations always give the same text. */
  static String statements(List<Suggestion.Observed> observed) {
    Map<String, Set<String>> byResources = new TreeMap<>();
    Map<String, List<String>> resourcesOf = new TreeMap<>();
    for (Suggestion.Observed o : observed) {
      String key = String.join("\n", o.resources());
      byResources.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(o.action());
      resourcesOf.put(key, o.resources());
    }
    ArrayNode out = JSON.createArrayNode();
    int n = 0;
    for (var group : byResources.entrySet()) {
      ObjectNode s = out.addObject();
      s.put("Sid", "Used" + ++n);
      s.put("Effect", "Allow");
      s.set("Action", oneOrMany(List.copyOf(group.getValue())));
      s.set("Resource", oneOrMany(resourcesOf.get(group.getKey())));
    }
    return out.toString();
  }

  private static JsonNode oneOrMany(List<String> values) {
    if (values.size() == 1) {
      return JSON.getNodeFactory().textNode(values.get(0));
    }
    ArrayNode a = JSON.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  /** Whether {@code statements} are within {@code today}'s, or why that is not proven. */
  static Suggestion.Proof contained(String statements, Optional<String> today, String noToday) {
    if (today.isEmpty()) {
      return new Suggestion.Proof(false, Optional.of(noToday));
    }
    try {
      return Suggestion.Proof.of(AwsPolicyContainment.whyNotContained(statements, today.get()));
    } catch (IllegalArgumentException e) {
      return new Suggestion.Proof(false, Optional.of(e.getMessage()));
    }
  }

  /** Whether {@code statements} allow every observed action on each of its resources. */
  static Suggestion.Proof covers(String statements, List<Suggestion.Observed> observed) {
    for (Suggestion.Observed o : observed) {
      for (String resource : o.resources()) {
        Optional<String> why = AwsPolicyAllows.whyNot(statements, o.action(), resource);
        if (why.isPresent()) {
          return new Suggestion.Proof(false, why);
        }
      }
    }
    return Suggestion.Proof.YES;
  }

  /**
   * Today's Allow action patterns (in the order written, once each) that no observed action
   * matches; a {@code NotAction} statement's are not patterns of what it allows and are left out.
   */
  static List<String> unused(String today, List<Suggestion.Observed> observed) {
    JsonNode tree;
    try {
      tree = JSON.readTree(today);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> patterns = new LinkedHashSet<>();
    for (JsonNode s : tree) {
      if ("Allow".equals(s.path("Effect").asText())) {
        JsonNode a = s.path("Action");
        if (a.isTextual()) {
          patterns.add(a.asText());
        }
        a.forEach(v -> patterns.add(v.asText()));
      }
    }
    List<String> out = new ArrayList<>();
    for (String p : patterns) {
      String wide = p.toLowerCase(Locale.ROOT);
      boolean used =
          observed.stream()
              .anyMatch(
                  o -> AwsPolicyContainment.covers(wide, o.action().toLowerCase(Locale.ROOT)));
      if (!used) {
        out.add(p);
      }
    }
    return out;
  }
}
