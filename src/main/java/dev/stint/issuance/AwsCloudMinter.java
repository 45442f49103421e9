package dev.stint.issuance;

import dev.stint.mint.aws.AwsMintRequest;
import dev.stint.mint.aws.AwsMinter;
import dev.stint.mint.aws.AwsRole;
import dev.stint.mint.aws.SourceIdentities;
import dev.stint.policy.AwsSessionPolicy;
import dev.stint.policy.AwsTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The policy's {@code aws:} target, minted through {@link AwsMinter}. */
public final class AwsCloudMinter implements CloudMinter {
  private final AwsMinter minter;

  public AwsCloudMinter(AwsMinter minter) {
    this.minter = minter;
  }

  @Override
  public Future<Issued> mint(MintContext c) {
    AwsTarget target = (AwsTarget) c.profile().target();
    AwsSessionPolicy policy = new AwsSessionPolicy(c.profile().sources(), target.sessionPolicy(),
        target.sessionPolicyArns());
    AwsMintRequest request = new AwsMintRequest(role(target), c.grantId(), c.profile().name(),
        c.person(), SourceIdentities.of(c.issuer(), c.subject(), c.grantId()), c.endsAt(),
        c.requested(), c.max(), policy);
    return Future.fromCompletionStage(minter.mint(request), Vertx.currentContext())
        .map(session -> new AwsIssued(session, c.grantId()));
  }

  static AwsRole role(AwsTarget target) {
    AwsRole.Mode mode = switch (target.mode()) {
      case ASSUME_ROLE -> AwsRole.Mode.ASSUME_ROLE;
      case WEB_IDENTITY -> AwsRole.Mode.WEB_IDENTITY;
    };
    return new AwsRole(target.roleArn(), mode, target.region());
  }
}
