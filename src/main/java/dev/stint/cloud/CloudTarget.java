package dev.stint.cloud;

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

  /**
   * Where the grant is a directory's assignment rather than minted credentials (an IAM Identity
   * Center permission set in an account); empty for every target stint mints on.
   */
  default Optional<AccountAssignment> assignment() {
    return Optional.empty();
  }

  /**
   * The visitor's method for this target's cloud, with the target as its own record: how code that
   * must tell clouds apart does so without a cast, and fails to compile when a cloud is added.
   */
  <R> R accept(Visitor<R> visitor);

  /** One method per cloud, each handed that cloud's record. */
  interface Visitor<R> {
    R aws(AwsTarget target);

    R gcp(GcpTarget target);

    R azure(AzureTarget target);
  }
}
