package dev.stint.policy;

/** Where a profile's credentials come from: exactly one cloud per profile. */
public sealed interface CloudTarget permits AwsTarget, GcpTarget, AzureTarget {
  /** {@code aws}, {@code gcp} or {@code azure}, as in the policy file. */
  String cloud();

  /** The target named for people (role ARN, service account, app): never a secret. */
  String describe();
}
