package dev.stint.mint.gcp;

import dev.stint.mint.AccessToken;
import dev.stint.mint.CloudMinter;
import dev.stint.mint.Credential;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintOrder;
import java.util.concurrent.CompletableFuture;

/** The policy's {@code gcp:} target, minted through {@link GcpMinter}. */
public final class GcpCloudMinter implements CloudMinter {
  private final GcpMinter minter;

  public GcpCloudMinter(GcpMinter minter) {
    this.minter = minter;
  }

  @Override
  public Lifetimes.CloudLimits limits() {
    return Lifetimes.CloudLimits.GCP;
  }

  @Override
  public CompletableFuture<Credential> mint(MintOrder order) {
    GcpMintRequest request;
    try {
      request =
          new GcpMintRequest(
              (GcpAccount) order.target(),
              order.under(),
              order.profile(),
              order.holder(),
              order.lifetime());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return minter
        .mint(request)
        .thenApply(
            t ->
                new AccessToken(
                    "gcp",
                    request.account().serviceAccount(),
                    t.accessToken(),
                    t.expiresAt(),
                    "expires_at"));
  }
}
