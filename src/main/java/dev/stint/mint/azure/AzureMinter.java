package dev.stint.mint.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.identity.ClientAssertionCredential;
import dev.stint.error.StintException;
import dev.stint.mint.Blocking;
import dev.stint.mint.MintException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints an Entra access token for one grant (ARCHITECTURE §7) with azure-identity's {@link
 * ClientAssertionCredential}: the app has a federated identity credential that trusts stint's
 * issuer for the subject {@code profile:NAME}, and stint signs the client assertion.
 *
 * <p>Entra fixes the token's lifetime (60–90 minutes by default); stint cannot ask for less. The
 * minter reports Entra's real {@code expires_on} and refuses the token when it would outlive the
 * grant, unless the profile sets {@code allow_lifetime_overrun}.
 *
 * <p>Every mint builds a fresh credential ({@link EntraCredentials}), so MSAL's token cache never
 * hands one grant's token to another and each token's sign-in log entry names its grant.
 */
public final class AzureMinter {
  /** The audience Entra expects in federated client assertions. */
  public static final String AUDIENCE = "api://AzureADTokenExchange";

  private static final Logger LOG = LoggerFactory.getLogger(AzureMinter.class);

  private final AzureSettings settings;
  private final AzureAssertions assertions;
  private final Executor executor;
  private final Clock clock;
  private final HttpClient http;

  /**
   * @param executor runs the blocking Entra calls; never an event loop
   */
  public AzureMinter(
      AzureSettings settings, AzureAssertions assertions, Executor executor, Clock clock) {
    this.settings = settings;
    this.assertions = assertions;
    this.executor = executor;
    this.clock = clock;
    this.http = EntraCredentials.http(settings);
  }

  /**
   * Mints a token. The future fails with a {@link StintException} ({@code forbidden}, {@code
   * conflict} when the token would outlive the grant, {@code upstream_unavailable}) whose detail is
   * safe to show the caller.
   */
  public CompletableFuture<AzureToken> mint(AzureMintRequest request) {
    return Blocking.supply(
        executor, () -> mintNow(request), busy -> AzureErrors.unavailable(request.profile(), busy));
  }

  private AzureToken mintNow(AzureMintRequest request) {
    if (!request.hardEnd().isAfter(clock.instant())) {
      throw MintException.grantEnded();
    }
    AccessToken token = requestToken(request);
    Instant expiresOn = token.getExpiresAt().toInstant();
    AzureToken minted = new AzureToken(token.getToken(), expiresOn);
    boolean overrun = expiresOn.isAfter(request.hardEnd());
    if (overrun && !request.app().allowLifetimeOverrun()) {
      LOG.warn(
          "Azure token for profile {} {} refused: expires_on={} is after the latest end {}",
          request.profile(),
          request.under().label(),
          expiresOn,
          request.hardEnd());
      throw StintException.conflict(
          "Entra issues tokens for profile "
              + request.profile()
              + " that expire at "
              + expiresOn
              + ", after "
              + request.hardEnd()
              + ", the latest"
              + " this grant allows (its end, or the profile's max_token_lifetime from now);"
              + " request a longer grant, or set allow_lifetime_overrun: true on the profile");
    }
    LOG.info(
        "Azure token for profile {} {} person {}: tenant={} client_id={} scope={} "
            + "expires_on={} outlives_grant={} token_id={}",
        request.profile(),
        request.under().label(),
        request.person(),
        request.app().tenantId(),
        request.app().clientId(),
        request.app().scope(),
        expiresOn,
        overrun,
        minted.ids().map(EntraClaims.Ids::uti).orElse("none"));
    return minted;
  }

  private AccessToken requestToken(AzureMintRequest request) {
    AccessToken token;
    try {
      token =
          credential(request)
              .getToken(new TokenRequestContext().addScopes(request.app().scope()))
              .block(settings.timeout());
    } catch (RuntimeException e) {
      throw failure(request, e);
    }
    if (token == null) {
      throw failure(request, new IllegalStateException("Entra answered no token"));
    }
    return token;
  }

  private ClientAssertionCredential credential(AzureMintRequest request) {
    AzureApp app = request.app();
    Map<String, Object> claims =
        Map.of(
            request.under().claim(),
            request.under().value(),
            "person",
            request.person(),
            "profile",
            request.profile());
    return EntraCredentials.credential(
        settings,
        http,
        new EntraCredentials.EntraApp(app.tenantId(), app.clientId()),
        () -> {
          try {
            return assertions.assertion(AUDIENCE, "profile:" + request.profile(), claims);
          } catch (RuntimeException e) {
            throw new AzureErrors.SigningFailed(e);
          }
        });
  }

  private static StintException failure(AzureMintRequest request, RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AzureErrors.SigningFailed) {
        return AzureErrors.signing(request.profile(), t.getCause());
      }
    }
    AzureErrors.Upstream upstream = AzureErrors.upstream(e);
    LOG.warn(
        "Azure token for profile {} {} failed: tenant={} client_id={} http_status={} "
            + "error={} aadsts={} exception={}",
        request.profile(),
        request.under().label(),
        request.app().tenantId(),
        request.app().clientId(),
        upstream.httpStatus(),
        upstream.error(),
        upstream.aadsts(),
        e.getClass().getSimpleName());
    return AzureErrors.refused(upstream)
        ? AzureErrors.refusal(request.profile(), e)
        : AzureErrors.unavailable(request.profile(), e);
  }
}
