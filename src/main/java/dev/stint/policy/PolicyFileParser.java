package dev.stint.policy;

import dev.stint.cloud.CloudTarget;
import dev.stint.common.ParameterValues;
import dev.stint.common.SecureUrls;
import dev.stint.common.SourceNetworks;
import dev.stint.identity.IssuerUse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the sections of one policy file into model records, reporting every problem it finds.
 * References between sections (a CI rule's issuer and profile) are checked after all files are
 * merged, by {@link PolicyLoader}.
 */
final class PolicyFileParser {
  static final Set<String> TOP_LEVEL =
      Set.of(
          "auditors",
          "admins",
          "issuers",
          "profiles",
          "ci",
          "login",
          "web",
          "bundles",
          FindingsParser.KEY);
  static final Set<String> ALGORITHMS =
      Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  /** What one file contributes; the loader merges these across files. */
  record Parts(
      Optional<Condition> auditors,
      Optional<Condition> admins,
      Map<String, IssuerConfig> issuers,
      Map<String, Profile> profiles,
      Map<String, CiRule> ci,
      Optional<LoginConfig> login,
      Optional<WebConfig> web,
      Map<String, Bundle> bundles,
      Optional<Findings> findings) {}

  private final Conditions cel;
  private final ApprovalParser approvals;

  /**
   * @param requestTimeout how long a request may stay pending; escalation must come before
   */
  PolicyFileParser(Conditions cel, Duration requestTimeout) {
    this.cel = cel;
    this.approvals = new ApprovalParser(cel, requestTimeout);
  }

  Parts parse(YamlNode root) {
    root.allowOnly(TOP_LEVEL);
    Map<String, IssuerConfig> issuers = new LinkedHashMap<>();
    root.mapping("issuers")
        .forEach(
            (name, n) ->
                named(name, n)
                    .flatMap(x -> n.asMapping())
                    .flatMap(m -> issuer(name, m))
                    .ifPresent(i -> issuers.put(name, i)));
    Map<String, Profile> profiles = new LinkedHashMap<>();
    root.mapping("profiles")
        .forEach(
            (name, n) ->
                named(name, n)
                    .flatMap(x -> n.asMapping())
                    .flatMap(m -> profile(name, m))
                    .ifPresent(p -> profiles.put(name, p)));
    Map<String, CiRule> ci = new LinkedHashMap<>();
    root.mapping("ci")
        .forEach(
            (name, n) ->
                named(name, n)
                    .flatMap(x -> n.asMapping())
                    .flatMap(m -> ciRule(name, m))
                    .ifPresent(r -> ci.put(name, r)));
    Optional<LoginConfig> login = root.child("login").flatMap(this::login);
    Optional<WebConfig> web = root.child("web").flatMap(PolicyFileParser::web);
    Map<String, Bundle> bundles = new LinkedHashMap<>();
    root.mapping("bundles")
        .forEach(
            (name, n) ->
                named(name, n)
                    .flatMap(x -> n.asMapping())
                    .flatMap(m -> BundleParser.parse(name, m, cel.in(Conditions.Scope.ROLE)))
                    .ifPresent(b -> bundles.put(name, b)));
    return new Parts(
        root.condition("auditors", cel.in(Conditions.Scope.ROLE)),
        root.condition("admins", cel.in(Conditions.Scope.ROLE)),
        issuers,
        profiles,
        ci,
        login,
        web,
        bundles,
        root.has(FindingsParser.KEY) ? FindingsParser.parse(root) : Optional.empty());
  }

  private static Optional<String> named(String name, YamlNode n) {
    if (!NAME.matcher(name).matches()) {
      n.problem(null, "name must be lower-case letters, digits, '-' or '_' (at most 63)");
      return Optional.empty();
    }
    return Optional.of(name);
  }

  private Optional<IssuerConfig> issuer(String name, YamlNode n) {
    n.allowOnly(
        Set.of("issuer", "audience", "groups_claim", "algorithms", "max_token_lifetime", "use"));
    Optional<String> url = n.requiredString("issuer").filter(u -> validIssuerUrl(n, u));
    Optional<String> audience = n.requiredString("audience");
    String groups = n.string("groups_claim").orElse(IssuerConfig.DEFAULT_GROUPS_CLAIM);
    List<String> algs = n.strings("algorithms").orElse(IssuerConfig.DEFAULT_ALGORITHMS);
    boolean ok = true;
    for (String alg : algs) {
      if (!ALGORITHMS.contains(alg)) {
        n.problem("algorithms", "'" + alg + "' is not allowed (use RS*, PS* or ES*)");
        ok = false;
      }
    }
    if (algs.isEmpty()) {
      n.problem("algorithms", "must name at least one algorithm");
      ok = false;
    }
    Duration lifetime =
        n.duration("max_token_lifetime").orElse(IssuerConfig.DEFAULT_MAX_TOKEN_LIFETIME);
    Optional<Set<IssuerUse>> use = Optional.empty();
    if (n.has("use")) {
      Optional<String> text = n.string("use");
      try {
        use = text.map(IssuerUse::parse);
      } catch (IllegalArgumentException e) {
        n.problem("use", e.getMessage());
        ok = false;
      }
    }
    if (url.isEmpty() || audience.isEmpty() || !ok) {
      return Optional.empty();
    }
    return Optional.of(
        new IssuerConfig(
            name, url.get(), audience.get(), groups, algs, lifetime, use, use.orElse(Set.of())));
  }

  /** https, or http only to this machine (development and tests). */
  static boolean validIssuerUrl(YamlNode n, String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (Exception e) {
      n.problem("issuer", "is not a URL");
      return false;
    }
    if (uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      n.problem("issuer", "must be an absolute URL with a host and no query, fragment or user");
      return false;
    }
    if (!SecureUrls.httpsOrLoopback(uri)) {
      n.problem("issuer", "must use https (plain http only for localhost)");
      return false;
    }
    return true;
  }

  /** The keys a profile may have besides its cloud's. */
  private static final Set<String> PROFILE_KEYS =
      Set.of(
          "description",
          "max_duration",
          "requesters",
          "approval",
          "reason",
          "break_glass",
          "source_cidrs",
          "extension",
          "max_token_lifetime",
          "end_when",
          "parameters",
          "leases",
          "access_review",
          FindingsParser.KEY);

  private Optional<Profile> profile(String name, YamlNode n) {
    Set<String> known = new HashSet<>(PROFILE_KEYS);
    known.addAll(TargetParser.CLOUDS);
    n.allowOnly(known);
    String description = n.string("description").orElse("");
    ParameterParser.Declared parameters = ParameterParser.parse(n, cel);
    Optional<CloudTarget> target =
        TargetParser.parse(n).flatMap(t -> Narrowing.bind(n, name, parameters, t));
    Optional<Duration> max =
        n.has("max_duration") ? n.duration("max_duration") : n.missing("max_duration");
    Optional<Condition> requesters = n.requiredCondition("requesters", cel);
    Optional<Approval> approval =
        n.has("approval")
            ? n.child("approval").flatMap(approvals::approval)
            : n.missing("approval");
    Optional<ReasonRule> reason =
        n.has("reason")
            ? n.child("reason").flatMap(PolicyFileParser::reason)
            : Optional.of(ReasonRule.NONE);
    boolean breakGlass = n.bool("break_glass").orElse(false);
    Optional<SourceNetworks> sources = ControlsParser.sources(n);
    Optional<Afterwards> after = afterwards(n, target, max);
    if (after.isEmpty()
        || target.isEmpty()
        || max.isEmpty()
        || requesters.isEmpty()
        || approval.isEmpty()
        || reason.isEmpty()
        || sources.isEmpty()
        || !ControlsParser.sessionPolicyFits(n, target.get(), sources.get())
        || !Narrowing.fitsWhenLongest(n, name, parameters, target.get(), sources.get())) {
      return Optional.empty();
    }
    return Optional.of(
        new Profile(
            name,
            description,
            target.get(),
            max.get(),
            requesters.get(),
            approval.get(),
            reason.get(),
            breakGlass,
            sources.get(),
            after.get().extension(),
            after.get().tokenMax(),
            after.get().endWhen(),
            parameters.parameters(),
            after.get().leases(),
            after.get().review(),
            after.get().findings()));
  }

  /**
   * What governs a profile's grants once approved: their extension, their task leases, the access
   * review of who holds them, how long one token lives, what ends them early, what watches their
   * calls.
   */
  private record Afterwards(
      Optional<ExtensionRule> extension,
      Optional<LeaseRule> leases,
      Optional<ReviewRule> review,
      Optional<Duration> tokenMax,
      Optional<Condition> endWhen,
      Findings findings) {}

  /** A profile's {@link Afterwards}, each from its key; empty when any of them is a problem. */
  private Optional<Afterwards> afterwards(
      YamlNode n, Optional<CloudTarget> target, Optional<Duration> max) {
    Optional<Optional<ExtensionRule>> extension = ControlsParser.extension(n, max);
    Optional<Optional<LeaseRule>> leases = ControlsParser.leases(n, max);
    Optional<Optional<ReviewRule>> review =
        ControlsParser.accessReview(n, cel.in(Conditions.Scope.ROLE));
    Optional<Optional<Duration>> tokenMax = ControlsParser.maxTokenLifetime(n, target, max);
    Optional<Optional<Condition>> endWhen = endWhen(n);
    Optional<Findings> findings = FindingsParser.parse(n);
    if (extension.isEmpty()
        || leases.isEmpty()
        || review.isEmpty()
        || tokenMax.isEmpty()
        || endWhen.isEmpty()
        || findings.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Afterwards(
            extension.get(),
            leases.get(),
            review.get(),
            tokenMax.get(),
            endWhen.get(),
            findings.get()));
  }

  /** A profile's {@code end_when}: none, a condition, or empty when it is a problem. */
  private Optional<Optional<Condition>> endWhen(YamlNode n) {
    if (!n.has("end_when")) {
      return Optional.of(Optional.empty());
    }
    return n.condition("end_when", cel).map(Optional::of);
  }

  private static Optional<ReasonRule> reason(YamlNode n) {
    n.allowOnly(Set.of("required", "pattern"));
    boolean required = n.bool("required").orElse(false);
    Optional<String> source = n.string("pattern");
    if (source.isEmpty()) {
      return n.has("pattern")
          ? Optional.empty()
          : Optional.of(new ReasonRule(required, Optional.empty()));
    }
    try {
      return Optional.of(new ReasonRule(required, Optional.of(Pattern.compile(source.get()))));
    } catch (PatternSyntaxException e) {
      n.problem("pattern", "not a valid regular expression: " + e.getDescription());
      return Optional.empty();
    }
  }

  private Optional<CiRule> ciRule(String name, YamlNode n) {
    n.allowOnly(
        Set.of(
            "issuer", "profile", "when", "max_duration", "approval", "jti_required", "parameters"));
    Optional<String> issuer = n.requiredString("issuer");
    Optional<String> profile = n.requiredString("profile");
    Optional<Condition> when = n.requiredCondition("when", cel.in(Conditions.Scope.CI));
    Optional<Duration> max =
        n.has("max_duration") ? n.duration("max_duration") : n.missing("max_duration");
    Optional<CiRule.CiApproval> approval =
        n.has("approval") ? n.choice("approval", CiRule.CiApproval.class) : n.missing("approval");
    boolean jti = n.bool("jti_required").orElse(true);
    Optional<ParameterValues> parameters = FixedParameters.read(n);
    if (issuer.isEmpty()
        || profile.isEmpty()
        || when.isEmpty()
        || max.isEmpty()
        || approval.isEmpty()
        || parameters.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new CiRule(
            name,
            issuer.get(),
            profile.get(),
            when.get(),
            max.get(),
            approval.get(),
            jti,
            parameters.get()));
  }

  private Optional<LoginConfig> login(YamlNode n) {
    n.allowOnly(Set.of("issuer", "client_id", "scopes"));
    Optional<String> issuer = n.requiredString("issuer");
    Optional<String> client = n.requiredString("client_id");
    List<String> scopes = new ArrayList<>(n.strings("scopes").orElse(LoginConfig.DEFAULT_SCOPES));
    if (!scopes.contains("openid")) {
      n.problem("scopes", "must include openid");
      return Optional.empty();
    }
    if (issuer.isEmpty() || client.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new LoginConfig(issuer.get(), client.get(), scopes));
  }

  /** The {@code web:} block: like {@code login:}, but for the server's own sign-in pages. */
  private static Optional<WebConfig> web(YamlNode n) {
    n.allowOnly(Set.of("issuer", "client_id", "scopes"));
    Optional<String> issuer = n.requiredString("issuer");
    Optional<String> client = n.requiredString("client_id");
    List<String> scopes = new ArrayList<>(n.strings("scopes").orElse(WebConfig.DEFAULT_SCOPES));
    if (!scopes.contains("openid")) {
      n.problem("scopes", "must include openid");
      return Optional.empty();
    }
    if (issuer.isEmpty() || client.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new WebConfig(issuer.get(), client.get(), scopes));
  }
}
