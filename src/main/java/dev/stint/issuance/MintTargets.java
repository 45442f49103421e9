package dev.stint.issuance;

import dev.stint.common.AwsSessionPolicy;
import dev.stint.mint.MintTarget;
import dev.stint.mint.aws.AwsRole;
import dev.stint.mint.aws.AwsRoleTarget;
import dev.stint.mint.azure.AzureApp;
import dev.stint.mint.gcp.GcpAccount;
import dev.stint.policy.AwsTarget;
import dev.stint.policy.AzureTarget;
import dev.stint.policy.CloudTarget;
import dev.stint.policy.GcpTarget;
import dev.stint.policy.Profile;

/** A profile's target, as the policy states it, in the terms of the cloud that mints it. */
final class MintTargets {
  private MintTargets() {}

  static MintTarget of(Profile profile) {
    CloudTarget target = profile.target();
    if (target instanceof AwsTarget aws) {
      AwsRole.Mode mode =
          switch (aws.mode()) {
            case ASSUME_ROLE -> AwsRole.Mode.ASSUME_ROLE;
            case WEB_IDENTITY -> AwsRole.Mode.WEB_IDENTITY;
          };
      return new AwsRoleTarget(
          new AwsRole(aws.roleArn(), mode, aws.region()),
          new AwsSessionPolicy(profile.sources(), aws.sessionPolicy(), aws.sessionPolicyArns()));
    }
    if (target instanceof GcpTarget gcp) {
      GcpAccount.Mode mode =
          gcp.mode() == GcpTarget.Mode.IMPERSONATE
              ? GcpAccount.Mode.IMPERSONATE
              : GcpAccount.Mode.WORKLOAD_IDENTITY;
      return new GcpAccount(
          gcp.serviceAccount(), gcp.scopes(), gcp.delegates(), mode, gcp.workloadProvider());
    }
    if (target instanceof AzureTarget azure) {
      return new AzureApp(
          azure.tenantId(), azure.clientId(), azure.scope(), azure.allowLifetimeOverrun());
    }
    throw new IllegalArgumentException("no minting for " + target.cloud() + " targets");
  }
}
