package dev.stint.target;

import java.util.Optional;

/** Where a profile's credentials come from: exactly one cloud per profile. */
public sealed interface CloudTarget permits AwsTarget, GcpTarget, AzureTarget {
  /** {@code aws}, {@code gcp} or {@code azure}, as in the policy file. */
  String cloud();

  /** The target named for people (role ARN, service account, app): never a secret. */
  String describe();

  /**
   * The region the profile's tools should call, when the policy names one: the keys alone do not
   * tell an AWS tool where to go.
   */
  default Optional<String> region() {
    return Optional.empty();
  }
}
