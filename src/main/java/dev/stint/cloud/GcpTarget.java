package dev.stint.cloud;

import dev.stint.common.DocumentTemplate;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterPatterns;
import dev.stint.common.ParameterValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A GCP service account, impersonated by stint or reached through workload identity federation
 * ({@code workloadProvider} is then the full provider resource name), with the OAuth scopes and
 * delegation chain its tokens carry. Scopes may be given by short name ({@code cloud-platform}) and
 * are held expanded ({@code https://www.googleapis.com/auth/cloud-platform}); delegates may be
 * given as bare emails and are held in the IAM Credentials API's {@code
 * projects/-/serviceAccounts/EMAIL} form.
 *
 * <p>{@code accessBoundary}, when present, is a Credential Access Boundary (checked by the policy
 * parser) that downscopes the account's tokens; with parameters, a template filled for each request
 * ({@link #accessBoundaryFor}).
 *
 * <p>The constructor refuses a bad target with every reason at once: the account and delegates end
 * up in a URL path, so nothing but an email or a unique id is let through.
 */
public record GcpTarget(
    String serviceAccount,
    List<String> scopes,
    List<String> delegates,
    Mode mode,
    Optional<String> workloadProvider,
    Optional<String> accessBoundary,
    ParameterPatterns parameters)
    implements CloudTarget {
  /**
   * The cloud's key in the policy file, here where its record is, so that {@link Cloud} names the
   * cloud from it and the record need not read back its {@code Cloud}.
   */
  static final String CLOUD = "gcp";

  /** How stint obtains the token that calls {@code generateAccessToken}. */
  public enum Mode {
    /** stint's own Google identity (Application Default Credentials) impersonates the account. */
    IMPERSONATE,
    /** A stint-signed JWT is exchanged at Google STS through a workload identity provider. */
    WORKLOAD_IDENTITY;

    /** The policy YAML spelling: {@code impersonate} or {@code workload_identity}. */
    public static Mode of(String yaml) {
      for (Mode mode : values()) {
        if (mode.name().toLowerCase(Locale.ROOT).equals(yaml)) {
          return mode;
        }
      }
      throw new IllegalArgumentException(
          "mode must be impersonate or workload_identity, got '" + yaml + "'");
    }
  }

  /**
   * Google STS's limit on a token exchange's {@code options}, the filled access boundary, in
   * characters: the policy check keeps every boundary within it, and the minter checks again before
   * it calls Google.
   */
  public static final int MAX_ACCESS_BOUNDARY_CHARS = 2048;

  /** Where Google's OAuth scopes live; a short scope name is read under it. */
  public static final String SCOPE_PREFIX = "https://www.googleapis.com/auth/";

  private static final String DELEGATE_PREFIX = "projects/-/serviceAccounts/";
  private static final Pattern ACCOUNT =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*@[A-Za-z0-9.-]+\\.[A-Za-z]+|[0-9]{1,30}");
  private static final Pattern SHORT_SCOPE = Pattern.compile("[a-z][a-z0-9._-]*(\\.[a-z0-9._-]+)*");
  private static final Pattern PROVIDER =
      Pattern.compile(
          "//iam\\.googleapis\\.com/projects/[0-9]+"
              + "/locations/global/workloadIdentityPools/[a-z0-9-]{4,32}/providers/[a-z0-9-]{4,32}");

  /**
   * @throws IllegalArgumentException naming every problem
   */
  public GcpTarget {
    List<String> problems = new ArrayList<>();
    if (serviceAccount == null || !ACCOUNT.matcher(serviceAccount).matches()) {
      problems.add(
          "service_account must be a service account email or unique id, got '"
              + serviceAccount
              + "'");
    }
    scopes = expandScopes(scopes == null ? List.of() : scopes, problems);
    delegates = normalizeDelegates(delegates == null ? List.of() : delegates, problems);
    if (mode == null) {
      problems.add("mode must be impersonate or workload_identity");
    }
    workloadProvider = workloadProvider == null ? Optional.empty() : workloadProvider;
    checkProvider(mode, workloadProvider, problems);
    accessBoundary = accessBoundary == null ? Optional.empty() : accessBoundary;
    parameters = parameters == null ? ParameterPatterns.NONE : parameters;
    checkBoundary(accessBoundary, parameters, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid gcp profile: " + String.join("; ", problems));
    }
  }

  /** An account's tokens as wide as its roles and scopes. */
  public GcpTarget(
      String serviceAccount,
      List<String> scopes,
      List<String> delegates,
      Mode mode,
      Optional<String> workloadProvider) {
    this(
        serviceAccount,
        scopes,
        delegates,
        mode,
        workloadProvider,
        Optional.empty(),
        ParameterPatterns.NONE);
  }

  /** This target with its access boundary a template of {@code parameters}. */
  public GcpTarget withParameters(ParameterPatterns parameters) {
    return new GcpTarget(
        serviceAccount, scopes, delegates, mode, workloadProvider, accessBoundary, parameters);
  }

  /**
   * The access boundary filled with a request's values (compact, with its hash for the ledger);
   * empty when the profile has none.
   *
   * @throws IllegalArgumentException if a value is refused, or values are given to a profile
   *     without parameters
   */
  public Optional<FilledDocument> accessBoundaryFor(ParameterValues values) {
    if (accessBoundary.isEmpty()) {
      if (!values.isEmpty()) {
        throw new IllegalArgumentException("this profile takes no parameters");
      }
      return Optional.empty();
    }
    return Optional.of(new DocumentTemplate(accessBoundary.get(), parameters).fill(values));
  }

  /** An impersonation target (the common case). */
  public static GcpTarget impersonate(String serviceAccount, List<String> scopes) {
    return new GcpTarget(serviceAccount, scopes, List.of(), Mode.IMPERSONATE, Optional.empty());
  }

  @Override
  public String cloud() {
    return CLOUD;
  }

  @Override
  public String describe() {
    return serviceAccount;
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.gcp(this);
  }

  private static List<String> expandScopes(List<String> given, List<String> problems) {
    if (given.isEmpty()) {
      problems.add("scopes must name at least one OAuth scope");
    }
    List<String> expanded = new ArrayList<>();
    for (String scope : given) {
      if (scope != null
          && scope.startsWith(SCOPE_PREFIX)
          && SHORT_SCOPE.matcher(scope.substring(SCOPE_PREFIX.length())).matches()) {
        expanded.add(scope);
      } else if (scope != null && SHORT_SCOPE.matcher(scope).matches()) {
        expanded.add(SCOPE_PREFIX + scope);
      } else {
        problems.add(
            "scope '"
                + scope
                + "' is neither a short name like cloud-platform nor "
                + SCOPE_PREFIX
                + "NAME");
      }
    }
    return List.copyOf(expanded);
  }

  private static List<String> normalizeDelegates(List<String> given, List<String> problems) {
    List<String> normalized = new ArrayList<>();
    for (String delegate : given) {
      String account =
          delegate != null && delegate.startsWith(DELEGATE_PREFIX)
              ? delegate.substring(DELEGATE_PREFIX.length())
              : delegate;
      if (account == null || !ACCOUNT.matcher(account).matches()) {
        problems.add("delegate '" + delegate + "' is not a service account email or unique id");
      } else {
        normalized.add(DELEGATE_PREFIX + account);
      }
    }
    return List.copyOf(normalized);
  }

  private static void checkBoundary(
      Optional<String> boundary, ParameterPatterns parameters, List<String> problems) {
    if (boundary.isEmpty()) {
      if (!parameters.isEmpty()) {
        problems.add("parameters need an access_boundary to fill");
      }
      return;
    }
    try {
      if (parameters.isEmpty()) {
        // Not yet bound to its parameters (the policy binds them once it has read them): only its
        // form is checked here; filling it without them is refused.
        DocumentTemplate.placeholders(boundary.get());
      } else {
        new DocumentTemplate(boundary.get(), parameters);
      }
    } catch (IllegalArgumentException e) {
      problems.add("access_boundary: " + e.getMessage());
    }
  }

  private static void checkProvider(Mode mode, Optional<String> provider, List<String> problems) {
    if (mode == Mode.WORKLOAD_IDENTITY && provider.isEmpty()) {
      problems.add("mode workload_identity needs workload_provider");
    } else if (mode == Mode.IMPERSONATE && provider.isPresent()) {
      problems.add("workload_provider is only used with mode workload_identity");
    } else if (provider.isPresent() && !PROVIDER.matcher(provider.get()).matches()) {
      problems.add(
          "workload_provider must read //iam.googleapis.com/projects/NUMBER/locations/"
              + "global/workloadIdentityPools/POOL/providers/PROVIDER, got '"
              + provider.get()
              + "'");
    }
  }
}
