package dev.stint.policy;

/** An Entra application with a federated credential that trusts stint's signed assertions. */
public record AzureTarget(String tenantId, String clientId, String scope) implements CloudTarget {
  @Override
  public String cloud() {
    return "azure";
  }

  @Override
  public String describe() {
    return "app " + clientId + " in tenant " + tenantId;
  }
}
