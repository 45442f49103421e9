package dev.stint.finding.rules;

import java.util.Collection;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * IAM actions as detections write them: a literal, or a {@code *} standing for letters. Every call
 * judged is matched against each rule's list, so a literal is a set lookup and the globs with a
 * {@code *} are one pattern: one match per call and list, not one per entry.
 */
final class Globs {
  private final Set<String> literals;
  private final Pattern wildcards;

  Globs(Collection<String> globs) {
    this.literals = globs.stream().filter(g -> !g.contains("*")).collect(Collectors.toSet());
    String alternatives =
        globs.stream()
            .filter(g -> g.contains("*"))
            .map(Globs::regex)
            .collect(Collectors.joining("|"));
    this.wildcards = alternatives.isEmpty() ? null : Pattern.compile(alternatives);
  }

  boolean matches(String action) {
    return literals.contains(action) || (wildcards != null && wildcards.matcher(action).matches());
  }

  private static String regex(String glob) {
    StringBuilder regex = new StringBuilder("(?:");
    String[] parts = glob.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append("[A-Za-z]*");
      }
      regex.append(Pattern.quote(parts[i]));
    }
    return regex.append(')').toString();
  }
}
