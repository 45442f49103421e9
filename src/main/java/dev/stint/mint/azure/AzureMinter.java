package dev.stint.mint.azure;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.identity.ClientAssertionCredential;
import dev.stint.cloud.AzureTarget;
import dev.stint.cloud.Cloud;
import dev.stint.error.StintException;
import dev.stint.mint.AccessToken;
import dev.stint.mint.ActivityLookup;
import dev.stint.mint.Blocking;
import dev.stint.mint.CloudMinter;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintException;
import dev.stint.mint.MintOrder;
import dev.stint.mint.Receipt;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Azure, the policy's {@code azure:} target: mints an Entra access token for one grant
 * (ARCHITECTURE §7) with azure-identity's {@link ClientAssertionCredential}: the app has a
 * federated identity credential that trusts stint's issuer for the subject {@code profile:NAME},
 * and stint signs the client assertion.
 *
 * <p>Entra fixes the token's lifetime (60–90 minutes by default); stint cannot ask for less. The
 * minter reports Entra's real {@code expires_on} and refuses the token when it would outlive the
 * grant, unless the profile sets {@code allow_lifetime_overrun}.
 *
 * <p>Every mint builds a fresh credential ({@link EntraCredentials}), so MSAL's token cache never
 * hands one grant's token to another and each token's sign-in log entry names its grant.
 *
 * <p>Each token is recorded with its own identifier ({@code uti}); with {@link AzureActivity}, a
 * token for Azure Resource Manager is looked up in the Activity Log, as the ledger records at the
 * mint.
 */
public final class AzureMinter implements CloudMinter<AzureTarget, AccessToken> {
  /** The audience Entra expects in federated client assertions. */
  public static final String AUDIENCE = "api://AzureADTokenExchange";

  private static final Logger LOG = LoggerFactory.getLogger(AzureMinter.class);

  private final AzureSettings settings;
  private final AzureAssertions assertions;
  private final Executor executor;
  private final Clock clock;
  private final HttpClient http;
  private final Optional<AzureActivity> activity;

  /**
   * Without the Activity Log: no Azure token is looked up.
   *
   * @param executor runs the blocking Entra calls; never an event loop
   */
  public AzureMinter(
      AzureSettings settings, AzureAssertions assertions, Executor executor, Clock clock) {
    this(settings, assertions, executor, clock, EntraCredentials.http(settings), Optional.empty());
  }

  // One HTTP client per minter, shared by its copies: each client holds a thread of its own.
  private AzureMinter(
      AzureSettings settings,
      AzureAssertions assertions,
      Executor executor,
      Clock clock,
      HttpClient http,
      Optional<AzureActivity> activity) {
    this.settings = settings;
    this.assertions = assertions;
    this.executor = executor;
    this.clock = clock;
    this.http = http;
    this.activity = activity;
  }

  /**
   * This minter, its tokens for Resource Manager looked up in the Activity Log by {@code activity}.
   */
  public AzureMinter reading(Optional<AzureActivity> activity) {
    return new AzureMinter(settings, assertions, executor, clock, http, activity);
  }

  @Override
  public Cloud<AzureTarget> cloud() {
    return Cloud.AZURE;
  }

  @Override
  public Lifetimes.CloudLimits limits() {
    return Lifetimes.CloudLimits.AZURE;
  }

  @Override
  public Optional<ActivityLookup> activity() {
    return activity.map(a -> a);
  }

  /**
   * Mints a token. The future fails with a {@link StintException} ({@code forbidden}, {@code
   * conflict} when the token would outlive the grant, {@code upstream_unavailable}) whose detail is
   * safe to show the caller.
   */
  @Override
  public CompletableFuture<AccessToken> mint(AzureTarget target, MintOrder order) {
    if (order.statements().isPresent()) {
      return CompletableFuture.failedFuture(ownStatementsRefused(order));
    }
    boolean lookedUp = activity.isPresent() && target.forResourceManager();
    return Blocking.supply(
            executor,
            () -> mintNow(target, order),
            busy -> AzureErrors.unavailable(order.profile(), busy))
        .thenApply(
            token ->
                new AccessToken(
                    cloud().name(),
                    target.describeWithScope(),
                    token.accessToken(),
                    token.expiresOn(),
                    "expires_on",
                    token
                        .ids()
                        .map(ids -> new Receipt.TokenId(ids.uti(), ids.tenant(), lookedUp))));
  }

  /**
   * A session policy of its own is AWS's alone: a Azure token has nothing to carry it, and minting
   * without it would hand out more than was asked for.
   */
  private static MintException ownStatementsRefused(MintOrder order) {
    return MintException.invalid(
        "profile "
            + order.profile()
            + " is not an AWS profile: only an AWS session takes statements of its own");
  }

  private AzureToken mintNow(AzureTarget target, MintOrder order) {
    if (!order.hardEnd().isAfter(clock.instant())) {
      throw MintException.grantEnded();
    }
    AzureToken minted = requestToken(target, order);
    Instant expiresOn = minted.expiresOn();
    boolean overrun = expiresOn.isAfter(order.hardEnd());
    if (overrun && !target.allowLifetimeOverrun()) {
      LOG.warn(
          "Azure token for profile {} {} refused: expires_on={} is after the latest end {}",
          order.profile(),
          order.under().label(),
          expiresOn,
          order.hardEnd());
      throw StintException.conflict(
          "Entra issues tokens for profile "
              + order.profile()
              + " that expire at "
              + expiresOn
              + ", after "
              + order.hardEnd()
              + ", the latest"
              + " this grant allows (its end, or the profile's max_token_lifetime from now);"
              + " request a longer grant, or set allow_lifetime_overrun: true on the profile");
    }
    LOG.info(
        "Azure token for profile {} {} person {}: tenant={} client_id={} scope={} "
            + "expires_on={} outlives_grant={} token_id={}",
        order.profile(),
        order.under().label(),
        order.holder(),
        target.tenantId(),
        target.clientId(),
        target.scope(),
        expiresOn,
        overrun,
        minted.ids().map(EntraClaims.Ids::uti).orElse("none"));
    return minted;
  }

  /** Entra's token, as its value and expiry. */
  private AzureToken requestToken(AzureTarget target, MintOrder order) {
    Optional<AzureToken> token;
    try {
      token =
          Optional.ofNullable(
                  credential(target, order)
                      .getToken(new TokenRequestContext().addScopes(target.scope()))
                      .block(settings.timeout()))
              .map(t -> new AzureToken(t.getToken(), t.getExpiresAt().toInstant()));
    } catch (RuntimeException e) {
      throw failure(target, order, e);
    }
    return token.orElseThrow(
        () -> failure(target, order, new IllegalStateException("Entra answered no token")));
  }

  private ClientAssertionCredential credential(AzureTarget target, MintOrder order) {
    Map<String, Object> claims = new LinkedHashMap<>(order.under().claims());
    claims.put("person", order.holder());
    claims.put("profile", order.profile());
    return EntraCredentials.credential(
        settings,
        http,
        new EntraCredentials.EntraApp(target.tenantId(), target.clientId()),
        () -> {
          try {
            return assertions.assertion(AUDIENCE, "profile:" + order.profile(), claims);
          } catch (RuntimeException e) {
            throw new AzureErrors.SigningFailed(e);
          }
        });
  }

  private static StintException failure(AzureTarget target, MintOrder order, RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AzureErrors.SigningFailed) {
        return AzureErrors.signing(order.profile(), t.getCause());
      }
    }
    AzureErrors.Upstream upstream = AzureErrors.upstream(e);
    LOG.warn(
        "Azure token for profile {} {} failed: tenant={} client_id={} http_status={} "
            + "error={} aadsts={} exception={}",
        order.profile(),
        order.under().label(),
        target.tenantId(),
        target.clientId(),
        upstream.httpStatus(),
        upstream.error(),
        upstream.aadsts(),
        e.getClass().getSimpleName());
    return AzureErrors.refused(upstream)
        ? AzureErrors.refusal(order.profile(), e)
        : AzureErrors.unavailable(order.profile(), e);
  }
}
