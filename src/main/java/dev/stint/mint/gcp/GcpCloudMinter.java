package dev.stint.mint.gcp;

import dev.stint.common.SourceNetworks;
import dev.stint.mint.AccessToken;
import dev.stint.mint.CloudMinter;
import dev.stint.mint.Credential;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintOrder;
import dev.stint.mint.MintTarget;
import dev.stint.target.CloudTarget;
import dev.stint.target.GcpTarget;
import java.util.concurrent.CompletableFuture;

/** Google Cloud: the policy's {@code gcp:} target, minted through {@link GcpMinter}. */
public final class GcpCloudMinter implements CloudMinter {
  private final GcpMinter minter;

  public GcpCloudMinter(GcpMinter minter) {
    this.minter = minter;
  }

  @Override
  public String cloud() {
    return "gcp";
  }

  @Override
  public Lifetimes.CloudLimits limits() {
    return Lifetimes.CloudLimits.GCP;
  }

  @Override
  public MintTarget target(CloudTarget target, SourceNetworks sources) {
    GcpTarget gcp = (GcpTarget) target;
    GcpAccount.Mode mode =
        gcp.mode() == GcpTarget.Mode.IMPERSONATE
            ? GcpAccount.Mode.IMPERSONATE
            : GcpAccount.Mode.WORKLOAD_IDENTITY;
    return new GcpAccount(
        gcp.serviceAccount(), gcp.scopes(), gcp.delegates(), mode, gcp.workloadProvider());
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
