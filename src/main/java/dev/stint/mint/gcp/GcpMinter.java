package dev.stint.mint.gcp;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ExternalAccountCredentials.SubjectTokenTypes;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.IdentityPoolCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import dev.stint.error.StintException;
import dev.stint.mint.Blocking;
import dev.stint.mint.MintException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints a Google OAuth access token for one grant (ARCHITECTURE §7) through google-auth-library.
 *
 * <p>Both modes end in IAM Credentials {@code generateAccessToken} on the profile's service
 * account, with the profile's scopes and delegates and the capped lifetime ({@link
 * ImpersonatedCredentials} with its endpoint overridden). They differ in who calls it:
 *
 * <ul>
 *   <li>{@code impersonate}: stint's own Google identity (Application Default Credentials);
 *   <li>{@code workload_identity}: a federated token that Google STS gives for a stint-signed JWT
 *       ({@link IdentityPoolCredentials} with a supplier and the token URL overridden), so stint
 *       holds no Google credentials. The federated token is asked for {@code cloud-platform}, the
 *       scope IAM Credentials needs; the profile's scopes go on the minted token. The library's own
 *       impersonation option is not used because it refuses lifetimes under 600 s, and a grant may
 *       have less left.
 * </ul>
 *
 * Every mint builds fresh credentials: nothing is cached between grants.
 */
public final class GcpMinter {
  private static final Logger LOG = LoggerFactory.getLogger(GcpMinter.class);

  private final GcpSettings settings;
  private final GcpConnections connections;
  private final GcpSubjectTokens subjectTokens;
  private final Executor executor;

  /**
   * @param executor runs the blocking Google calls; never an event loop
   */
  public GcpMinter(
      GcpSettings settings,
      GcpConnections connections,
      GcpSubjectTokens subjectTokens,
      Executor executor) {
    this.settings = settings;
    this.connections = connections;
    this.subjectTokens = subjectTokens;
    this.executor = executor;
  }

  /**
   * Mints a token. The future fails with a {@link StintException} ({@code forbidden}, {@code
   * upstream_unavailable}) whose detail is safe to show the caller.
   */
  public CompletableFuture<GcpToken> mint(GcpMintRequest request) {
    return Blocking.supply(
        executor, () -> mintNow(request), busy -> GcpErrors.unavailable(request.profile(), busy));
  }

  private GcpToken mintNow(GcpMintRequest request) {
    long seconds = request.cappedSeconds();
    if (seconds < 1) {
      throw MintException.grantEnded();
    }
    try (Deadline deadline = connections.deadline(settings.timeout())) {
      AccessToken token;
      try {
        token = impersonated(request, (int) seconds, deadline).refreshAccessToken();
      } catch (IOException | RuntimeException e) {
        throw failure(request, deadline, e);
      }
      Instant expiresAt = token.getExpirationTime().toInstant();
      LOG.info(
          "GCP token for profile {} {} person {}: service_account={} mode={} "
              + "lifetime_s={} expires_at={}",
          request.profile(),
          request.under().label(),
          request.person(),
          request.account().serviceAccount(),
          request.account().mode(),
          seconds,
          expiresAt);
      return new GcpToken(token.getTokenValue(), expiresAt);
    }
  }

  private ImpersonatedCredentials impersonated(
      GcpMintRequest request, int seconds, Deadline deadline) throws IOException {
    GcpAccount account = request.account();
    GoogleCredentials source =
        switch (account.mode()) {
          case IMPERSONATE -> connections.sourceCredentials();
          case WORKLOAD_IDENTITY -> federated(request, deadline);
        };
    return ImpersonatedCredentials.newBuilder()
        .setSourceCredentials(source)
        .setTargetPrincipal(account.serviceAccount())
        .setDelegates(account.delegates())
        .setScopes(account.scopes())
        .setLifetime(seconds)
        .setIamEndpointOverride(settings.generateAccessTokenUrl(account.serviceAccount()))
        .setHttpTransportFactory(() -> connections.transport(deadline, settings.trust()))
        .build();
  }

  private IdentityPoolCredentials federated(GcpMintRequest request, Deadline deadline) {
    String provider = request.account().workloadProvider().orElseThrow();
    Map<String, Object> claims =
        Map.of(
            request.under().claim(),
            request.under().value(),
            "person",
            request.person(),
            "profile",
            request.profile());
    return IdentityPoolCredentials.newBuilder()
        .setSubjectTokenSupplier(
            context -> {
              try {
                return subjectTokens.token(
                    context.getAudience(), "profile:" + request.profile(), claims);
              } catch (RuntimeException e) {
                throw new SigningFailed(e);
              }
            })
        .setSubjectTokenType(SubjectTokenTypes.JWT)
        .setAudience(provider)
        .setTokenUrl(settings.tokenExchangeUrl())
        .setScopes(List.of(GcpConnections.CLOUD_PLATFORM))
        .setHttpTransportFactory(() -> connections.transport(deadline, settings.trust()))
        .build();
  }

  private static StintException failure(GcpMintRequest request, Deadline deadline, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SigningFailed signing) {
        return GcpErrors.signing(request.profile(), signing.getCause());
      }
    }
    GcpErrors.Upstream upstream = GcpErrors.upstream(e);
    boolean refused = !deadline.expired() && GcpErrors.refused(upstream);
    LOG.warn(
        "GCP token for profile {} {} failed: service_account={} mode={} "
            + "http_status={} google_status={} timed_out={} error={}",
        request.profile(),
        request.under().label(),
        request.account().serviceAccount(),
        request.account().mode(),
        upstream.httpStatus(),
        upstream.googleStatus(),
        deadline.expired(),
        e.getClass().getSimpleName());
    return refused
        ? GcpErrors.refusal(request.profile(), e)
        : GcpErrors.unavailable(request.profile(), e);
  }

  /** The subject-token signer failed: stint's own fault, not Google's. */
  private static final class SigningFailed extends IOException {
    SigningFailed(RuntimeException cause) {
      super("signing the subject token failed", cause);
    }
  }
}
