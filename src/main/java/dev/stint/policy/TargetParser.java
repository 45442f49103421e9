package dev.stint.policy;

import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.AzureTarget;
import dev.stint.cloud.CloudTarget;
import dev.stint.cloud.GcpTarget;
import dev.stint.common.ParameterPatterns;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads a profile's one cloud target ({@code aws:}, {@code gcp:} or {@code azure:}) and checks its
 * formats.
 */
final class TargetParser {
  static final Set<String> CLOUDS = Set.of("aws", "gcp", "azure");
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws(-cn|-us-gov)?:iam::\\d{12}:role/([\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}");
  private static final Pattern AWS_REGION =
      Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d");
  private static final Pattern SERVICE_ACCOUNT =
      Pattern.compile(
          "[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\\.iam\\.gserviceaccount\\.com");
  private static final Pattern WORKLOAD_PROVIDER =
      Pattern.compile(
          "//iam\\.googleapis\\.com/projects/\\d+/locations/global/workloadIdentityPools/"
              + "[a-z0-9-]{4,32}/providers/[a-z0-9-]{4,32}");
  private static final Pattern SCOPE =
      Pattern.compile("https://www\\.googleapis\\.com/auth/[\\w.-]+");
  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern AZURE_SCOPE = Pattern.compile("(https://|api://)[^\\s]+/\\.default");

  private TargetParser() {}

  /** Exactly one of the cloud keys must be present. */
  static Optional<CloudTarget> parse(YamlNode profile) {
    List<String> present = CLOUDS.stream().filter(profile::has).sorted().toList();
    if (present.size() != 1) {
      profile.problem(
          null,
          present.isEmpty()
              ? "needs one cloud target: aws, gcp or azure"
              : "has more than one cloud target (" + String.join(", ", present) + "); use one");
      return Optional.empty();
    }
    String cloud = present.get(0);
    return profile
        .child(cloud)
        .flatMap(
            node ->
                switch (cloud) {
                  case "aws" -> aws(node);
                  case "gcp" -> gcp(node);
                  default -> azure(node);
                });
  }

  private static Optional<CloudTarget> aws(YamlNode n) {
    if (n.has("mode") && n.string("mode").filter("identity_center"::equalsIgnoreCase).isPresent()) {
      return IdentityCenterParser.parse(n, AWS_REGION);
    }
    n.allowOnly(Set.of("role_arn", "mode", "region", "session_policy", "session_policy_arns"));
    Optional<String> arn =
        n.requiredString("role_arn")
            .filter(
                a ->
                    matches(
                        n,
                        "role_arn",
                        a,
                        ROLE_ARN,
                        "must be an IAM role ARN such as arn:aws:iam::111122223333:role/name"));
    AwsTarget.Mode mode = n.choice("mode", AwsTarget.Mode.class).orElse(AwsTarget.Mode.ASSUME_ROLE);
    Optional<String> region = n.string("region");
    boolean regionOk =
        region
            .map(
                r -> matches(n, "region", r, AWS_REGION, "must be an AWS region such as eu-west-1"))
            .orElse(true);
    Optional<Optional<String>> inline = SessionPolicyParser.inline(n);
    Optional<List<String>> arns = SessionPolicyParser.arns(n);
    if (arn.isEmpty() || !regionOk || inline.isEmpty() || arns.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new AwsTarget(arn.get(), mode, region, inline.get(), arns.get()));
  }

  private static Optional<CloudTarget> gcp(YamlNode n) {
    n.allowOnly(
        Set.of(
            "service_account",
            "scopes",
            "delegates",
            "mode",
            "workload_provider",
            "access_boundary"));
    Optional<String> sa =
        n.requiredString("service_account")
            .filter(
                s ->
                    matches(
                        n,
                        "service_account",
                        s,
                        SERVICE_ACCOUNT,
                        "must be a service account email such as name@project.iam.gserviceaccount.com"));
    List<String> scopes =
        n.strings("scopes").orElse(List.of("cloud-platform")).stream()
            .map(s -> s.startsWith("https://") ? s : "https://www.googleapis.com/auth/" + s)
            .toList();
    boolean ok = sa.isPresent();
    for (String s : scopes) {
      ok &= matches(n, "scopes", s, SCOPE, "'" + s + "' is not a Google OAuth scope");
    }
    List<String> delegates = n.strings("delegates").orElse(List.of());
    for (String d : delegates) {
      ok &=
          matches(n, "delegates", d, SERVICE_ACCOUNT, "'" + d + "' is not a service account email");
    }
    GcpTarget.Mode mode = n.choice("mode", GcpTarget.Mode.class).orElse(GcpTarget.Mode.IMPERSONATE);
    Optional<String> provider = n.string("workload_provider");
    ok &= providerFits(n, mode, provider);
    Optional<Optional<String>> boundary = AccessBoundaryParser.parse(n);
    if (!ok || boundary.isEmpty()) {
      return Optional.empty();
    }
    // Parameters are bound to the boundary once the profile's are read (Narrowing).
    return checked(
        n,
        () ->
            new GcpTarget(
                sa.get(),
                scopes,
                delegates,
                mode,
                provider,
                boundary.get(),
                ParameterPatterns.NONE));
  }

  /** {@code workload_provider}: a provider's full name, with mode workload_identity only. */
  private static boolean providerFits(YamlNode n, GcpTarget.Mode mode, Optional<String> provider) {
    boolean ok =
        provider
            .map(
                p ->
                    matches(
                        n,
                        "workload_provider",
                        p,
                        WORKLOAD_PROVIDER,
                        "must be //iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER"))
            .orElse(true);
    if (mode == GcpTarget.Mode.WORKLOAD_IDENTITY && !n.has("workload_provider")) {
      n.problem("workload_provider", "is required with mode workload_identity");
      ok = false;
    }
    if (mode == GcpTarget.Mode.IMPERSONATE && provider.isPresent()) {
      n.problem("workload_provider", "is only used with mode workload_identity");
      ok = false;
    }
    return ok;
  }

  private static Optional<CloudTarget> azure(YamlNode n) {
    n.allowOnly(Set.of("tenant_id", "client_id", "scope", "allow_lifetime_overrun"));
    Optional<String> tenant =
        n.requiredString("tenant_id")
            .filter(t -> matches(n, "tenant_id", t, GUID, "must be a GUID"));
    Optional<String> client =
        n.requiredString("client_id")
            .filter(c -> matches(n, "client_id", c, GUID, "must be a GUID"));
    Optional<String> scope =
        n.requiredString("scope")
            .filter(
                s ->
                    matches(
                        n,
                        "scope",
                        s,
                        AZURE_SCOPE,
                        "must be a resource's .default scope such as https://management.azure.com/.default"));
    if (tenant.isEmpty() || client.isEmpty() || scope.isEmpty()) {
      return Optional.empty();
    }
    boolean overrun = n.bool("allow_lifetime_overrun").orElse(false);
    return checked(n, () -> new AzureTarget(tenant.get(), client.get(), scope.get(), overrun));
  }

  /**
   * The target, or a problem: the record refuses what its cloud's API would, which the formats
   * checked above are meant to have caught first.
   */
  private static Optional<CloudTarget> checked(YamlNode n, Supplier<CloudTarget> target) {
    try {
      return Optional.of(target.get());
    } catch (IllegalArgumentException e) {
      n.problem(null, e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean matches(YamlNode n, String field, String value, Pattern p, String reason) {
    if (p.matcher(value).matches()) {
      return true;
    }
    n.problem(field, reason);
    return false;
  }
}
