package dev.stint.mint.aws;

import dev.stint.mint.CloudMinter;
import dev.stint.mint.Credential;
import dev.stint.mint.IssuedUnder;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintOrder;
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
    AwsRoleTarget target = (AwsRoleTarget) order.target();
    AwsMintRequest request =
        new AwsMintRequest(
            target.role(),
            order.under(),
            order.profile(),
            order.holder(),
            sourceIdentity(order),
            order.lifetime(),
            order.hardEnd(),
            target.sessionPolicy());
    return minter.mint(request).thenApply(session -> session);
  }

  /** Per grant; under a CI rule, per rule (there is no grant to revoke). */
  static String sourceIdentity(MintOrder order) {
    String under =
        order.under() instanceof IssuedUnder.CiRule rule
            ? "ci:" + rule.name()
            : order.under().value();
    return SourceIdentities.of(order.issuer(), order.subject(), under);
  }
}
