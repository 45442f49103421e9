package dev.stint.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.Cloud;
import dev.stint.cloud.CloudTarget;
import dev.stint.cloud.GcpTarget;
import dev.stint.common.DocumentTemplate;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterPatterns;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Binds a profile's parameters to its template (the AWS {@code session_policy} or the GCP {@code
 * access_boundary}) and refuses what could only fail at a request: a placeholder nobody declared, a
 * parameter nothing uses, parameters with no template, a template that is no valid document once
 * filled with the sample values, and a session policy or an access boundary its cloud's STS would
 * refuse as too large once filled with the longest values the patterns admit.
 */
final class Narrowing {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where a target's template is, how its filled form is checked, and the target bound. */
  private record Template(
      String field,
      String json,
      Function<String, List<String>> problems,
      Function<ParameterPatterns, CloudTarget> bind) {}

  private Narrowing() {}

  /** The target with its template bound to the parameters; empty when a problem was reported. */
  static Optional<CloudTarget> bind(
      YamlNode n, String profile, ParameterParser.Declared declared, CloudTarget target) {
    Optional<Template> template = template(target);
    if (template.isEmpty()) {
      if (!declared.names().isEmpty()) {
        n.problem(
            "parameters",
            "profile '"
                + profile
                + "' declares parameters but has neither aws.session_policy nor"
                + " gcp.access_boundary to fill (an Azure token cannot be narrowed by its issuer)");
        return Optional.empty();
      }
      return Optional.of(target);
    }
    if (!agree(n, profile, declared.names(), template.get()) || !declared.allRead()) {
      return Optional.empty();
    }
    if (declared.names().isEmpty()) {
      return Optional.of(target);
    }
    Map<String, String> sources = new LinkedHashMap<>();
    declared.parameters().forEach((name, p) -> sources.put(name, p.pattern().source()));
    ParameterPatterns patterns = ParameterPatterns.of(sources);
    return filledWithSamples(n, profile, declared, patterns, template.get())
        ? Optional.of(template.get().bind().apply(patterns))
        : Optional.empty();
  }

  /**
   * Whether the template, filled with the longest values the patterns admit, still fits what the
   * cloud takes: the session policy STS's limit with the statements stint adds for {@code sources},
   * the access boundary (with or without parameters) Google STS's limit on its {@code options}.
   */
  static boolean fitsWhenLongest(
      YamlNode n,
      String profile,
      ParameterParser.Declared declared,
      CloudTarget target,
      SourceNetworks sources) {
    return sessionPolicyFits(n, profile, declared, target, sources)
        && boundaryFits(n, profile, declared, target);
  }

  private static boolean sessionPolicyFits(
      YamlNode n,
      String profile,
      ParameterParser.Declared declared,
      CloudTarget target,
      SourceNetworks sources) {
    Optional<AwsTarget> aws = Cloud.AWS.target(target);
    if (aws.isEmpty() || declared.parameters().isEmpty()) {
      return true;
    }
    try {
      aws.get().sessionPolicyFrom(sources, values(declared, SafePattern::longest));
      return true;
    } catch (IllegalArgumentException e) {
      n.problem(
          "aws.session_policy",
          "profile '"
              + profile
              + "': filled with the longest values its parameters' patterns admit, "
              + e.getMessage());
      return false;
    }
  }

  private static boolean boundaryFits(
      YamlNode n, String profile, ParameterParser.Declared declared, CloudTarget target) {
    Optional<GcpTarget> gcp = Cloud.GCP.target(target).filter(t -> t.accessBoundary().isPresent());
    if (gcp.isEmpty()) {
      return true;
    }
    String filled =
        declared.parameters().isEmpty()
            ? ""
            : "filled with the longest values its parameters' patterns admit, ";
    String why;
    try {
      int length =
          gcp.get()
              .accessBoundaryFor(values(declared, SafePattern::longest))
              .orElseThrow()
              .length();
      if (length <= GcpTarget.MAX_ACCESS_BOUNDARY_CHARS) {
        return true;
      }
      why =
          "the access boundary is "
              + length
              + " characters; Google STS takes at most "
              + GcpTarget.MAX_ACCESS_BOUNDARY_CHARS
              + " (its token exchange options)";
    } catch (IllegalArgumentException e) {
      why = e.getMessage();
    }
    n.problem("gcp.access_boundary", "profile '" + profile + "': " + filled + why);
    return false;
  }

  private static Optional<Template> template(CloudTarget target) {
    Optional<Template> aws =
        Cloud.AWS
            .target(target)
            .filter(t -> t.sessionPolicy().isPresent())
            .map(
                t ->
                    new Template(
                        "aws.session_policy",
                        t.sessionPolicy().get(),
                        SessionPolicyParser::problems,
                        t::withParameters));
    Optional<Template> gcp =
        Cloud.GCP
            .target(target)
            .filter(t -> t.accessBoundary().isPresent())
            .map(
                t ->
                    new Template(
                        "gcp.access_boundary",
                        t.accessBoundary().get(),
                        Narrowing::boundary,
                        t::withParameters));
    return aws.or(() -> gcp);
  }

  private static boolean agree(YamlNode n, String profile, Set<String> declared, Template t) {
    Set<String> used;
    try {
      used = DocumentTemplate.placeholders(t.json());
    } catch (IllegalArgumentException e) {
      n.problem(t.field(), e.getMessage());
      return false;
    }
    boolean ok = true;
    for (String name : used) {
      if (!declared.contains(name)) {
        n.problem(
            t.field(),
            "uses ${" + name + "}, but profile '" + profile + "' declares no parameter " + name);
        ok = false;
      }
    }
    for (String name : declared) {
      if (!used.contains(name)) {
        n.problem(
            "parameters." + name,
            "profile '"
                + profile
                + "' declares "
                + name
                + " but its "
                + t.field()
                + " never uses ${"
                + name
                + "}");
        ok = false;
      }
    }
    return ok;
  }

  private static boolean filledWithSamples(
      YamlNode n,
      String profile,
      ParameterParser.Declared declared,
      ParameterPatterns patterns,
      Template t) {
    ParameterValues samples = values(declared, SafePattern::sample);
    List<String> why;
    try {
      FilledDocument filled = new DocumentTemplate(t.json(), patterns).fill(samples);
      why = t.problems().apply(filled.json());
    } catch (IllegalArgumentException e) {
      why = List.of(e.getMessage());
    }
    why.forEach(
        w ->
            n.problem(
                t.field(),
                "profile '"
                    + profile
                    + "' filled with the sample values "
                    + samples.values()
                    + ": "
                    + w));
    return why.isEmpty();
  }

  private static ParameterValues values(
      ParameterParser.Declared declared, Function<SafePattern, String> pick) {
    Map<String, String> values = new LinkedHashMap<>();
    declared.parameters().forEach((name, p) -> values.put(name, pick.apply(p.pattern())));
    return ParameterValues.of(values);
  }

  private static List<String> boundary(String json) {
    try {
      return AccessBoundaryParser.problems(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      return List.of("is not valid JSON");
    }
  }
}
