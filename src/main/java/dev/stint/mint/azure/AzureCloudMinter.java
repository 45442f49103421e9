package dev.stint.mint.azure;

import dev.stint.common.SourceNetworks;
import dev.stint.mint.AccessToken;
import dev.stint.mint.ActivityLookup;
import dev.stint.mint.CloudMinter;
import dev.stint.mint.Credential;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintOrder;
import dev.stint.mint.MintTarget;
import dev.stint.mint.Receipt;
import dev.stint.target.AzureTarget;
import dev.stint.target.CloudTarget;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The policy's {@code azure:} target, minted through {@link AzureMinter}. Entra fixes the lifetime;
 * the minter refuses a token that outlives the hard end unless the profile allows it. Each token is
 * recorded with its own identifier ({@code uti}); with {@link AzureActivity}, a token for Azure
 * Resource Manager is looked up in the Activity Log, as the ledger records at the mint.
 */
public final class AzureCloudMinter implements CloudMinter {
  private final AzureMinter minter;
  private final Optional<AzureActivity> activity;

  /** Without the Activity Log: no Azure token is looked up. */
  public AzureCloudMinter(AzureMinter minter) {
    this(minter, Optional.empty());
  }

  public AzureCloudMinter(AzureMinter minter, Optional<AzureActivity> activity) {
    this.minter = minter;
    this.activity = activity;
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
    boolean lookedUp = activity.isPresent() && request.app().forResourceManager();
    return minter
        .mint(request)
        .thenApply(
            token ->
                new AccessToken(
                    "azure",
                    request.app().describe(),
                    token.accessToken(),
                    token.expiresOn(),
                    "expires_on",
                    token
                        .ids()
                        .map(ids -> new Receipt.TokenId(ids.uti(), ids.tenant(), lookedUp))));
  }

  @Override
  public Optional<ActivityLookup> activity() {
    return activity.map(a -> a);
  }
}
