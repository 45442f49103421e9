package dev.stint.policy;

import dev.stint.common.ParameterPatterns;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a profile's {@code parameters: {NAME: {pattern, description, values?, admits?}}}. Whether
 * its template uses them is checked by {@link Narrowing}, once the cloud target is read.
 */
final class ParameterParser {
  /** The names the profile declares (those refused too) and the parameters that were read. */
  record Declared(Set<String> names, Map<String, Parameter> parameters, boolean wellFormed) {
    static final Declared NONE = new Declared(Set.of(), Map.of(), true);

    boolean allRead() {
      return wellFormed && names.size() == parameters.size();
    }
  }

  private ParameterParser() {}

  static Declared parse(YamlNode profile, Conditions cel) {
    if (!profile.has("parameters")) {
      return Declared.NONE;
    }
    boolean isMapping = profile.raw("parameters").map(r -> r.isObject()).orElse(false);
    Map<String, YamlNode> nodes = profile.mapping("parameters");
    if (nodes.isEmpty()) {
      if (isMapping) {
        profile.problem("parameters", "must map at least one NAME to {pattern, description}");
      }
      return new Declared(Set.of(), Map.of(), false);
    }
    Set<String> names = new LinkedHashSet<>(nodes.keySet());
    Map<String, Parameter> read = new LinkedHashMap<>();
    nodes.forEach(
        (name, n) ->
            n.asMapping().flatMap(m -> parameter(name, m, cel)).ifPresent(p -> read.put(name, p)));
    return new Declared(names, read, true);
  }

  private static Optional<Parameter> parameter(String name, YamlNode n, Conditions cel) {
    n.allowOnly(Set.of("pattern", "description", "values", "admits"));
    boolean ok = true;
    if (!ParameterPatterns.NAME.matcher(name).matches()) {
      n.problem(null, "a parameter's name is a lower-case letter, then up to 31 of a-z, 0-9 and _");
      ok = false;
    }
    Optional<String> description = n.requiredString("description");
    Optional<Set<SafePattern.Admits>> admits = admits(n);
    Optional<SafePattern> pattern =
        n.requiredString("pattern").flatMap(p -> admits.flatMap(a -> pattern(n, p, a)));
    Optional<Optional<AllowedValues>> values = values(n, cel);
    if (!ok || description.isEmpty() || pattern.isEmpty() || values.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Parameter(name, pattern.get(), description.get(), values.get()));
  }

  private static Optional<SafePattern> pattern(
      YamlNode n, String source, Set<SafePattern.Admits> admits) {
    try {
      return Optional.of(SafePattern.parse(source, admits));
    } catch (IllegalArgumentException e) {
      n.problem("pattern", e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<Set<SafePattern.Admits>> admits(YamlNode n) {
    Set<SafePattern.Admits> admits = EnumSet.noneOf(SafePattern.Admits.class);
    if (!n.has("admits")) {
      return Optional.of(admits);
    }
    Optional<List<String>> listed = n.strings("admits");
    if (listed.isEmpty()) {
      return Optional.empty();
    }
    for (String word : listed.get()) {
      Optional<SafePattern.Admits> admit =
          EnumSet.allOf(SafePattern.Admits.class).stream()
              .filter(a -> a.yaml().equals(word))
              .findFirst();
      if (admit.isEmpty()) {
        n.problem("admits", "'" + word + "' is not one of wildcards, arn_separators");
        return Optional.empty();
      }
      admits.add(admit.get());
    }
    return Optional.of(admits);
  }

  private static Optional<Optional<AllowedValues>> values(YamlNode n, Conditions cel) {
    if (!n.has("values")) {
      return Optional.of(Optional.empty());
    }
    return n.string("values")
        .flatMap(
            source -> {
              try {
                return Optional.of(Optional.of(cel.compileValues(source)));
              } catch (IllegalArgumentException e) {
                n.problem("values", e.getMessage());
                return Optional.empty();
              }
            });
  }
}
