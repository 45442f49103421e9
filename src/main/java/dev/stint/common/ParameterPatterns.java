package dev.stint.common;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A narrowed profile's parameters as the renderer needs them: each name with the regular expression
 * its value must match in full. The policy has already refused unsafe expressions; these are kept
 * as their sources (so two targets with the same parameters are equal) and compiled once.
 */
public final class ParameterPatterns {
  /**
   * A parameter's name; it is what may stand between {@code ${} and {@code }} in a {@link
   * DocumentTemplate}.
   */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  /** No parameters. */
  public static final ParameterPatterns NONE = new ParameterPatterns(Map.of());

  private final Map<String, String> sources;
  private final Map<String, Pattern> compiled;

  private ParameterPatterns(Map<String, String> sources) {
    this.sources = Collections.unmodifiableMap(new TreeMap<>(sources));
    Map<String, Pattern> patterns = new TreeMap<>();
    this.sources.forEach((name, source) -> patterns.put(name, Pattern.compile(source)));
    this.compiled = Collections.unmodifiableMap(patterns);
  }

  /**
   * @param sources each parameter's name and the expression its value must match in full
   * @throws IllegalArgumentException if a name is not a placeholder name or an expression does not
   *     compile
   */
  public static ParameterPatterns of(Map<String, String> sources) {
    for (Map.Entry<String, String> e : sources.entrySet()) {
      if (!NAME.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException("'" + e.getKey() + "' is not a parameter name");
      }
      Objects.requireNonNull(e.getValue(), e.getKey());
    }
    return new ParameterPatterns(sources);
  }

  public boolean isEmpty() {
    return sources.isEmpty();
  }

  public Set<String> names() {
    return sources.keySet();
  }

  /** The expression's source, as the policy wrote it. */
  public String source(String name) {
    return sources.get(name);
  }

  Pattern pattern(String name) {
    return compiled.get(name);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterPatterns other && sources.equals(other.sources);
  }

  @Override
  public int hashCode() {
    return sources.hashCode();
  }

  @Override
  public String toString() {
    return sources.toString();
  }
}
