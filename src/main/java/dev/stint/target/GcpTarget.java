package dev.stint.target;

import java.util.List;
import java.util.Optional;

/**
 * A GCP service account, impersonated by stint or reached through workload identity federation
 * ({@code workloadProvider} is then the full provider resource name). Scopes are full URLs.
 */
public record GcpTarget(
    String serviceAccount,
    List<String> scopes,
    List<String> delegates,
    Mode mode,
    Optional<String> workloadProvider)
    implements CloudTarget {

  public enum Mode {
    IMPERSONATE,
    WORKLOAD_IDENTITY
  }

  public GcpTarget {
    scopes = List.copyOf(scopes);
    delegates = List.copyOf(delegates);
  }

  @Override
  public String cloud() {
    return "gcp";
  }

  @Override
  public String describe() {
    return serviceAccount;
  }
}
