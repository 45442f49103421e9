package dev.stint.finding.rules;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** IAM actions as detections write them: a literal, or a {@code *} standing for letters. */
final class Globs {
  private final List<Pattern> patterns;

  Globs(Collection<String> globs) {
    this.patterns = globs.stream().map(Globs::compile).toList();
  }

  boolean matches(String action) {
    return patterns.stream().anyMatch(p -> p.matcher(action).matches());
  }

  private static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder();
    for (String part : glob.split("\\*", -1)) {
      if (regex.length() > 0) {
        regex.append("[A-Za-z]*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }
}
