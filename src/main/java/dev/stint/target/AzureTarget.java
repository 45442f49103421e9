package dev.stint.target;

/**
 * An Entra application with a federated credential that trusts stint's signed assertions. Entra
 * fixes a token's lifetime; {@code allowLifetimeOverrun} accepts a token that outlives the grant
 * (otherwise such a token is refused).
 */
public record AzureTarget(
    String tenantId, String clientId, String scope, boolean allowLifetimeOverrun)
    implements CloudTarget {
  @Override
  public String cloud() {
    return "azure";
  }

  @Override
  public String describe() {
    return "app " + clientId + " in tenant " + tenantId;
  }
}
