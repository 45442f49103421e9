package dev.stint.mint.azure;

import dev.stint.common.SourceNetworks;
import dev.stint.mint.AccessToken;
import dev.stint.mint.CloudMinter;
import dev.stint.mint.Credential;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintOrder;
import dev.stint.mint.MintTarget;
import dev.stint.policy.AzureTarget;
import dev.stint.policy.CloudTarget;
import java.util.concurrent.CompletableFuture;

/**
 * The policy's {@code azure:} target, minted through {@link AzureMinter}. Entra fixes the lifetime;
 * the minter refuses a token that outlives the hard end unless the profile allows it.
 */
public final class AzureCloudMinter implements CloudMinter {
  private final AzureMinter minter;

  public AzureCloudMinter(AzureMinter minter) {
    this.minter = minter;
  }

  @Override
  public String cloud() {
    return "azure";
  }

  @Override
  public Lifetimes.CloudLimits limits() {
    return Lifetimes.CloudLimits.AZURE;
  }

  @Override
  public MintTarget target(CloudTarget target, SourceNetworks sources) {
    AzureTarget azure = (AzureTarget) target;
    return new AzureApp(
        azure.tenantId(), azure.clientId(), azure.scope(), azure.allowLifetimeOverrun());
  }

  @Override
  public CompletableFuture<Credential> mint(MintOrder order) {
    AzureMintRequest request;
    try {
      request =
          new AzureMintRequest(
              (AzureApp) order.target(),
              order.under(),
              order.profile(),
              order.holder(),
              order.hardEnd());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return minter
        .mint(request)
        .thenApply(
            token ->
                new AccessToken(
                    "azure",
                    request.app().describe(),
                    token.accessToken(),
                    token.expiresOn(),
                    "expires_on"));
  }
}
