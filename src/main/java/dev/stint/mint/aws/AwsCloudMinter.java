package dev.stint.mint.aws;

import dev.stint.mint.CloudMinter;
import dev.stint.mint.Credential;
import dev.stint.mint.IssuedUnder;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintOrder;
import dev.stint.policy.AwsSessionPolicy;
import dev.stint.policy.AwsTarget;
import java.util.concurrent.CompletableFuture;

/** The policy's {@code aws:} target, minted through {@link AwsMinter}. */
public final class AwsCloudMinter implements CloudMinter {
  private final AwsMinter minter;

  public AwsCloudMinter(AwsMinter minter) {
    this.minter = minter;
  }

  @Override
  public Lifetimes.CloudLimits limits() {
    return Lifetimes.CloudLimits.AWS;
  }

  @Override
  public CompletableFuture<Credential> mint(MintOrder order) {
    AwsTarget target = (AwsTarget) order.profile().target();
    AwsSessionPolicy policy = new AwsSessionPolicy(order.profile().sources(),
        target.sessionPolicy(), target.sessionPolicyArns());
    AwsMintRequest request = new AwsMintRequest(role(target), order.under(),
        order.profile().name(), order.holder(), sourceIdentity(order), order.lifetime(),
        order.hardEnd(), policy);
    return minter.mint(request).thenApply(session -> session);
  }

  /** Per grant; under a CI rule, per rule (there is no grant to revoke). */
  static String sourceIdentity(MintOrder order) {
    String under = order.under() instanceof IssuedUnder.CiRule rule
        ? "ci:" + rule.name() : order.under().value();
    return SourceIdentities.of(order.issuer(), order.subject(), under);
  }

  static AwsRole role(AwsTarget target) {
    AwsRole.Mode mode = switch (target.mode()) {
      case ASSUME_ROLE -> AwsRole.Mode.ASSUME_ROLE;
      case WEB_IDENTITY -> AwsRole.Mode.WEB_IDENTITY;
    };
    return new AwsRole(target.roleArn(), mode, target.region());
  }
}
