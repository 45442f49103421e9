package dev.stint.mint.gcp;

import com.google.auth.oauth2.ExternalAccountCredentials.SubjectTokenTypes;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.IdentityPoolCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import dev.stint.cloud.Cloud;
import dev.stint.cloud.GcpTarget;
import dev.stint.common.FilledDocument;
import dev.stint.error.StintException;
import dev.stint.mint.AccessToken;
import dev.stint.mint.Blocking;
import dev.stint.mint.CloudMinter;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintException;
import dev.stint.mint.MintOrder;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Google Cloud, the policy's {@code gcp:} target: mints a Google OAuth access token for one grant
 * (ARCHITECTURE §7) through google-auth-library, for at most {@link GoogleMax}.
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
 * A profile with an {@code access_boundary} has the minted token exchanged at Google STS for one
 * downscoped to the boundary, filled with the grant's values ({@link Downscoping}); the caller only
 * ever gets the downscoped token.
 *
 * <p>Every mint builds fresh credentials: nothing is cached between grants.
 */
public final class GcpMinter implements CloudMinter<GcpTarget, AccessToken> {
  private static final Logger LOG = LoggerFactory.getLogger(GcpMinter.class);

  private final GcpSettings settings;
  private final GcpConnections connections;
  private final GcpSubjectTokens subjectTokens;
  private final Executor executor;
  private final GoogleMax googleMax;

  /**
   * Under Google's default longest lifetime ({@link GoogleMax#DEFAULT}).
   *
   * @param executor runs the blocking Google calls; never an event loop
   */
  public GcpMinter(
      GcpSettings settings,
      GcpConnections connections,
      GcpSubjectTokens subjectTokens,
      Executor executor) {
    this(settings, connections, subjectTokens, executor, GoogleMax.DEFAULT);
  }

  private GcpMinter(
      GcpSettings settings,
      GcpConnections connections,
      GcpSubjectTokens subjectTokens,
      Executor executor,
      GoogleMax googleMax) {
    this.settings = settings;
    this.connections = connections;
    this.subjectTokens = subjectTokens;
    this.executor = executor;
    this.googleMax = googleMax;
  }

  /** This minter, for service accounts whose organization allows tokens up to {@code max}. */
  public GcpMinter allowing(GoogleMax max) {
    return new GcpMinter(settings, connections, subjectTokens, executor, max);
  }

  @Override
  public Cloud<GcpTarget> cloud() {
    return Cloud.GCP;
  }

  @Override
  public Lifetimes.CloudLimits limits() {
    return Lifetimes.CloudLimits.GCP;
  }

  /**
   * Mints a token. The future fails with a {@link StintException} ({@code forbidden}, {@code
   * upstream_unavailable}) whose detail is safe to show the caller.
   */
  @Override
  public CompletableFuture<AccessToken> mint(GcpTarget target, MintOrder order) {
    if (order.statements().isPresent()) {
      return CompletableFuture.failedFuture(ownStatementsRefused(order));
    }
    return Blocking.supply(
            executor,
            () -> mintNow(target, order),
            busy -> GcpErrors.unavailable(order.profile(), busy))
        .thenApply(
            t ->
                new AccessToken(
                    cloud().name(),
                    target.serviceAccount(),
                    t.accessToken(),
                    t.expiresAt(),
                    "expires_at"));
  }

  /**
   * A session policy of its own is AWS's alone: a GCP token has nothing to carry it, and minting
   * without it would hand out more than was asked for.
   */
  private static MintException ownStatementsRefused(MintOrder order) {
    return MintException.invalid(
        "profile "
            + order.profile()
            + " is not an AWS profile: only an AWS session takes statements of its own");
  }

  /**
   * 1. cap the lifetime; 2. fill the access boundary, so that what Google would refuse is never
   * sent; 3. mint the service account's token; 4. with a boundary, exchange it at STS for the
   * downscoped token the caller gets instead. Steps 3 and 4 share one deadline.
   */
  private GcpToken mintNow(GcpTarget target, MintOrder order) {
    // 1.
    long seconds = googleMax.cappedSeconds(order.lifetime());
    if (seconds < 1) {
      throw MintException.grantEnded();
    }
    // 2.
    Optional<FilledDocument> boundary = boundary(target, order);
    try (Deadline deadline = connections.deadline(settings.timeout())) {
      // 3.
      GcpToken token = serviceAccountToken(target, order, (int) seconds, deadline);
      // 4.
      if (boundary.isPresent()) {
        try {
          token =
              Downscoping.downscope(
                  token,
                  boundary.get(),
                  settings.tokenExchangeUrl(),
                  connections.transport(deadline, settings.trust()));
        } catch (IOException | RuntimeException e) {
          throw failure(target, order, new Failed("downscoping", deadline), e);
        }
      }
      LOG.info(
          "GCP token for profile {} {} person {}: service_account={} mode={} "
              + "lifetime_s={} expires_at={} access_boundary_sha256={}",
          order.profile(),
          order.under().label(),
          order.holder(),
          target.serviceAccount(),
          target.mode(),
          seconds,
          token.expiresAt(),
          boundary.map(FilledDocument::sha256).orElse("none"));
      return token;
    }
  }

  /**
   * The profile's access boundary filled with the grant's values, empty when it has none.
   *
   * @throws MintException {@code invalid_request} for a value the profile refuses, or a boundary
   *     Google would refuse
   */
  private static Optional<FilledDocument> boundary(GcpTarget target, MintOrder order) {
    Optional<FilledDocument> boundary;
    try {
      boundary = target.accessBoundaryFor(order.parameters());
    } catch (IllegalArgumentException e) {
      throw MintException.invalid(e.getMessage());
    }
    Optional<String> refusal = boundary.flatMap(Downscoping::refusal);
    if (refusal.isPresent()) {
      throw MintException.invalid(refusal.get());
    }
    return boundary;
  }

  /** The service account's own token, from IAM Credentials generateAccessToken. */
  private GcpToken serviceAccountToken(
      GcpTarget target, MintOrder order, int seconds, Deadline deadline) {
    try {
      var google = impersonated(target, order, seconds, deadline).refreshAccessToken();
      return new GcpToken(google.getTokenValue(), google.getExpirationTime().toInstant());
    } catch (IOException | RuntimeException e) {
      throw failure(target, order, new Failed("generateAccessToken", deadline), e);
    }
  }

  private ImpersonatedCredentials impersonated(
      GcpTarget target, MintOrder order, int seconds, Deadline deadline) throws IOException {
    GoogleCredentials source =
        switch (target.mode()) {
          case IMPERSONATE -> connections.sourceCredentials();
          case WORKLOAD_IDENTITY -> federated(target, order, deadline);
        };
    return ImpersonatedCredentials.newBuilder()
        .setSourceCredentials(source)
        .setTargetPrincipal(target.serviceAccount())
        .setDelegates(target.delegates())
        .setScopes(target.scopes())
        .setLifetime(seconds)
        .setIamEndpointOverride(settings.generateAccessTokenUrl(target.serviceAccount()))
        .setHttpTransportFactory(() -> connections.transport(deadline, settings.trust()))
        .build();
  }

  private IdentityPoolCredentials federated(GcpTarget target, MintOrder order, Deadline deadline) {
    String provider = target.workloadProvider().orElseThrow();
    Map<String, Object> claims = new LinkedHashMap<>(order.under().claims());
    claims.put("person", order.holder());
    claims.put("profile", order.profile());
    return IdentityPoolCredentials.newBuilder()
        .setSubjectTokenSupplier(
            context -> {
              try {
                return subjectTokens.token(
                    context.getAudience(), "profile:" + order.profile(), claims);
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

  /** Which call of a mint failed, and whether its deadline had passed. */
  private record Failed(String call, Deadline deadline) {}

  private static StintException failure(
      GcpTarget target, MintOrder order, Failed failed, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SigningFailed signing) {
        return GcpErrors.signing(order.profile(), signing.getCause());
      }
    }
    GcpErrors.Upstream upstream = GcpErrors.upstream(e);
    boolean expired = failed.deadline().expired();
    boolean refused = !expired && GcpErrors.refused(upstream);
    LOG.warn(
        "GCP token for profile {} {} failed at {}: service_account={} mode={} "
            + "http_status={} google_status={} timed_out={} error={}",
        order.profile(),
        order.under().label(),
        failed.call(),
        target.serviceAccount(),
        target.mode(),
        upstream.httpStatus(),
        upstream.googleStatus(),
        expired,
        e.getClass().getSimpleName());
    return refused
        ? GcpErrors.refusal(order.profile(), e)
        : GcpErrors.unavailable(order.profile(), e);
  }

  /** The subject-token signer failed: stint's own fault, not Google's. */
  private static final class SigningFailed extends IOException {
    SigningFailed(RuntimeException cause) {
      super("signing the subject token failed", cause);
    }
  }
}
