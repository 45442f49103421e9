package dev.stint.issuance;

import dev.stint.mint.Lifetimes;
import dev.stint.mint.gcp.GcpAccount;
import dev.stint.mint.gcp.GcpMintRequest;
import dev.stint.mint.gcp.GcpMinter;
import dev.stint.policy.GcpTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/** The policy's {@code gcp:} target, minted through {@link GcpMinter}, lifetime capped first. */
public final class GcpCloudMinter implements CloudMinter {
  /** Google's default ceiling for generateAccessToken. */
  static final Lifetimes.CloudLimits GCP = new Lifetimes.CloudLimits(Duration.ofSeconds(1),
      Duration.ofHours(1));

  private final GcpMinter minter;
  private final java.time.Clock clock;

  public GcpCloudMinter(GcpMinter minter, java.time.Clock clock) {
    this.minter = minter;
    this.clock = clock;
  }

  @Override
  public Future<Issued> mint(MintContext c) {
    Lifetimes.Lifetime lifetime;
    GcpAccount account;
    try {
      lifetime = Lifetimes.cap(new Lifetimes.Ask(c.requested(), c.max(), c.endsAt()), GCP,
          clock.instant());
      account = account((GcpTarget) c.profile().target());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    GcpMintRequest request = new GcpMintRequest(account, c.grantId(), c.profile().name(),
        c.person(), lifetime.duration());
    return Future.fromCompletionStage(minter.mint(request), Vertx.currentContext())
        .map(t -> new TokenIssued("gcp", t.accessToken(), t.expiresAt(), c.grantId()));
  }

  static GcpAccount account(GcpTarget t) {
    GcpAccount.Mode mode = t.mode() == GcpTarget.Mode.IMPERSONATE
        ? GcpAccount.Mode.IMPERSONATE : GcpAccount.Mode.WORKLOAD_IDENTITY;
    return new GcpAccount(t.serviceAccount(), t.scopes(), t.delegates(), mode,
        t.workloadProvider());
  }
}
