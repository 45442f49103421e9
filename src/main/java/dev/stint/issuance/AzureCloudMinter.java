package dev.stint.issuance;

import dev.stint.mint.azure.AzureApp;
import dev.stint.mint.azure.AzureMintRequest;
import dev.stint.mint.azure.AzureMinter;
import dev.stint.policy.AzureTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The policy's {@code azure:} target, minted through {@link AzureMinter}. Entra fixes the
 * lifetime; the minter refuses a token that outlives the grant unless the profile allows it.
 */
public final class AzureCloudMinter implements CloudMinter {
  private final AzureMinter minter;

  public AzureCloudMinter(AzureMinter minter) {
    this.minter = minter;
  }

  @Override
  public Future<Issued> mint(MintContext c) {
    AzureTarget t = (AzureTarget) c.profile().target();
    AzureMintRequest request;
    try {
      request = new AzureMintRequest(new AzureApp(t.tenantId(), t.clientId(), t.scope(),
          t.allowLifetimeOverrun()), c.grantId(), c.profile().name(), c.person(), c.endsAt());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.fromCompletionStage(minter.mint(request), Vertx.currentContext())
        .map(t2 -> new TokenIssued("azure", t2.accessToken(), t2.expiresOn(), c.grantId()));
  }
}
