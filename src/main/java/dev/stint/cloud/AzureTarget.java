package dev.stint.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An Entra application with a federated credential that trusts stint's signed assertions, and the
 * one scope its tokens are for (Entra's client-credentials flow takes exactly one resource, {@code
 * RESOURCE/.default}). Entra fixes a token's lifetime; {@code allowLifetimeOverrun} accepts a token
 * that outlives the grant (otherwise such a token is refused). The constructor refuses a bad app
 * with every reason at once.
 */
public record AzureTarget(
    String tenantId, String clientId, String scope, boolean allowLifetimeOverrun)
    implements CloudTarget {
  /**
   * The cloud's key in the policy file, here where its record is, so that {@link Cloud} names the
   * cloud from it and the record need not read back its {@code Cloud}.
   */
  static final String CLOUD = "azure";

  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  // A tenant is a GUID or a verified domain; both become a path segment of the authority URL.
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253})");
  private static final Pattern SCOPE = Pattern.compile("\\S+/\\.default");

  /**
   * Azure Resource Manager in the public and sovereign clouds, under both the names Entra issues
   * its tokens for: the operations made with such a token are what its Activity Log records.
   */
  private static final Set<String> RESOURCE_MANAGER =
      Set.of(
          "https://management.azure.com",
          "https://management.core.windows.net",
          "https://management.usgovcloudapi.net",
          "https://management.core.usgovcloudapi.net",
          "https://management.chinacloudapi.cn",
          "https://management.core.chinacloudapi.cn");

  /**
   * @throws IllegalArgumentException naming every problem
   */
  public AzureTarget {
    List<String> problems = new ArrayList<>();
    if (tenantId == null
        || !TENANT.matcher(tenantId).matches()
        || List.of("common", "organizations", "consumers").contains(tenantId)) {
      problems.add(
          "tenant_id must be a tenant id or domain (not common/organizations/consumers),"
              + " got '"
              + tenantId
              + "'");
    }
    if (clientId == null || !GUID.matcher(clientId).matches()) {
      problems.add(
          "client_id must be the application's client id (a GUID), got '" + clientId + "'");
    }
    if (scope == null || !SCOPE.matcher(scope).matches()) {
      problems.add(
          "scope must read RESOURCE/.default (e.g. https://management.azure.com/.default),"
              + " got '"
              + scope
              + "'");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid azure profile: " + String.join("; ", problems));
    }
  }

  @Override
  public String cloud() {
    return CLOUD;
  }

  @Override
  public String describe() {
    return "app " + clientId + " in tenant " + tenantId;
  }

  /** The app, its tenant and the scope its tokens are for, as the ledger names a token's target. */
  public String describeWithScope() {
    return describe() + " for " + scope;
  }

  /**
   * Whether the token is for Azure Resource Manager, whose Activity Log records the operations made
   * with it; a token for another resource (storage, Key Vault, Graph) is seen only in that
   * resource's own logs.
   */
  public boolean forResourceManager() {
    String resource = scope.substring(0, scope.length() - "/.default".length());
    while (resource.endsWith("/")) {
      resource = resource.substring(0, resource.length() - 1);
    }
    return RESOURCE_MANAGER.contains(resource.toLowerCase(Locale.ROOT));
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.azure(this);
  }
}
