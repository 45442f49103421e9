package dev.stint.mint.aws;

import dev.stint.mint.Blocking;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * Mints an STS session for one grant (ARCHITECTURE §7).
 *
 * <p>Every session carries: the duration it is handed (already capped, within STS's limits); a
 * session policy ({@link dev.stint.common.AwsSessionPolicy}) that denies everything after the hard
 * end, and from outside the profile's {@code source_cidrs}, and narrows the role as the profile
 * says; the person's name as {@code RoleSessionName} (for people reading CloudTrail); the per-grant
 * {@link SourceIdentities source identity}; and the session tags {@code stint:grant} and {@code
 * stint:profile}. Under a CI rule that mints without a grant, {@code stint:grant} is {@code
 * ci:RULE}: role trust policies demand the tag on every session (so that every session is one
 * revocation can reach), and no grant id has that form. Revocation keys on the tag and the source
 * identity, never on the name. The tags are <em>not</em> transitive: the source identity already
 * follows role chaining, and transitive tags would make every chained {@code AssumeRole} need
 * {@code sts:TagSession} in the next role's trust policy.
 *
 * <p>In {@code web_identity} mode STS takes the source identity and tags from the token's {@code
 * https://aws.amazon.com/source_identity} and {@code https://aws.amazon.com/tags} claims; the
 * token's subject is {@code profile:NAME} so each role's trust policy can pin its profile.
 */
public final class AwsMinter {
  /** The audience of stint's web-identity tokens; the IAM OIDC provider lists it as client id. */
  public static final String AUDIENCE = "sts.amazonaws.com";

  static final String TAG_GRANT = "stint:grant";
  static final String TAG_PROFILE = "stint:profile";
  private static final Logger LOG = LoggerFactory.getLogger(AwsMinter.class);

  private final AwsClients clients;
  private final WebIdentityTokens tokens;
  private final Executor executor;
  private final Clock clock;

  /**
   * @param executor runs the blocking SDK calls; never an event loop
   */
  public AwsMinter(AwsClients clients, WebIdentityTokens tokens, Executor executor, Clock clock) {
    this.clients = clients;
    this.tokens = tokens;
    this.executor = executor;
    this.clock = clock;
  }

  /**
   * Mints a session. The future fails with a {@link dev.stint.mint.MintException} (forbidden,
   * upstream_unavailable, …) whose detail is safe to show the caller.
   *
   * <p>The call starts on the executor, because resolving stint's own AWS identity may block (the
   * SDK's default chain reads files and metadata endpoints); it then waits for AWS on no thread at
   * all, and completes on the event loop that received the answer.
   */
  public CompletableFuture<AwsSession> mint(AwsMintRequest request) {
    CompletableFuture<AwsSession> session = new CompletableFuture<>();
    Blocking.supply(
            executor,
            () -> call(request),
            busy -> MintException.unavailable("AWS", request.profile(), busy))
        .whenComplete(
            (call, refused) -> {
              if (refused != null) {
                session.completeExceptionally(refused);
                return;
              }
              call.whenComplete(
                  (issued, failed) -> {
                    if (failed == null) {
                      session.complete(session(request, issued));
                    } else {
                      session.completeExceptionally(failure(request, failed));
                    }
                  });
            });
    return session;
  }

  private CompletableFuture<Issued> call(AwsMintRequest request) {
    // The order's lifetime was capped before it waited in the start queue; capped again now,
    // the session cannot outlive the hard end by that wait (the same cap: it refuses an ended
    // one, and keeps STS's floor, which the session policy's deny covers).
    Duration duration =
        Lifetimes.cap(
                new Lifetimes.Allowed(
                    Optional.of(request.lifetime()), request.lifetime(), request.hardEnd()),
                Lifetimes.CloudLimits.AWS,
                clock.instant())
            .duration();
    return revocable(request)
        .thenCompose(
            x -> {
              try {
                return switch (request.role().mode()) {
                  case ASSUME_ROLE -> assumeRole(request, duration);
                  case WEB_IDENTITY -> assumeRoleWithWebIdentity(request, duration);
                };
              } catch (SdkException e) {
                return CompletableFuture.failedFuture(e);
              }
            });
  }

  /**
   * Fails when a revocation could not reach the role's account ({@link AwsAccounts}): a session a
   * revocation could not end is never issued. Asks STS who stint is once per access key of stint's
   * own credentials, and, for a role reached through the broker role, whether stint can assume it
   * in the role's account (a success is kept for a while; a refusal refuses the issuance). In both
   * modes: {@code web_identity} mints without stint's keys, but its revocation writes IAM with
   * stint's own identity like any other, so a stint without one (or in another account or
   * partition, with no broker role) could only fail to end the session. The
   * AssumeRoleWithWebIdentity call itself stays unsigned.
   */
  private CompletableFuture<Void> revocable(AwsMintRequest request) {
    return clients
        .accounts()
        .unreachable(request.role().roleArn())
        .exceptionally(
            failed -> {
              Throwable cause = failed instanceof CompletionException c ? c.getCause() : failed;
              if (cause instanceof SdkException e) {
                throw AwsErrors.map(
                    "GetCallerIdentity or AssumeRole on the broker role", request.profile(), e);
              }
              if (cause instanceof IllegalArgumentException e) {
                throw MintException.misconfigured(
                    request.profile(), "the role ARN is not an IAM role ARN", e);
              }
              throw new CompletionException(cause);
            })
        .thenAccept(
            unreachable -> {
              if (unreachable.isPresent()) {
                throw AwsAccounts.refusedUnreachable(request.profile(), unreachable.get());
              }
            });
  }

  private AwsSession session(AwsMintRequest request, Issued issued) {
    Credentials c = issued.credentials();
    Instant expiration =
        c.expiration().isBefore(request.hardEnd()) ? c.expiration() : request.hardEnd();
    LOG.info(
        "AWS {} for profile {} {}: access_key_id={} expiration={} sts_expiration={}"
            + " duration_s={} request_id={}",
        operation(request),
        request.profile(),
        request.under().label(),
        c.accessKeyId(),
        expiration,
        c.expiration(),
        issued.duration().getSeconds(),
        issued.requestId());
    return new AwsSession(
        c.accessKeyId(),
        c.secretAccessKey(),
        c.sessionToken(),
        expiration,
        c.expiration(),
        request.role().roleArn(),
        SessionNames.of(request.person()),
        request.sourceIdentity(),
        request.role().region());
  }

  /** What the SDK's future failed with, as the caller may see it. */
  private static Throwable failure(AwsMintRequest request, Throwable failed) {
    Throwable cause =
        failed instanceof CompletionException && failed.getCause() != null
            ? failed.getCause()
            : failed;
    return cause instanceof SdkException e
        ? AwsErrors.map(operation(request), request.profile(), e)
        : cause;
  }

  private CompletableFuture<Issued> assumeRole(AwsMintRequest request, Duration duration) {
    String name = SessionNames.of(request.person());
    AssumeRoleRequest.Builder call = AssumeRoleRequest.builder();
    if (!request.sessionPolicy().policyArns().isEmpty()) {
      // Only when there are some: the SDK would send an explicitly empty list as "PolicyArns=".
      call.policyArns(SessionPolicies.arns(request));
    }
    return clients
        .sts(request.role().region(), false)
        .assumeRole(
            call.roleArn(request.role().roleArn())
                .roleSessionName(name)
                .sourceIdentity(request.sourceIdentity())
                .durationSeconds((int) duration.getSeconds())
                .policy(SessionPolicies.document(request))
                .tags(
                    Tag.builder().key(TAG_GRANT).value(grantTag(request)).build(),
                    Tag.builder().key(TAG_PROFILE).value(TagValues.of(request.profile())).build())
                .build())
        .thenApply(
            response ->
                new Issued(
                    response.credentials(), response.responseMetadata().requestId(), duration));
  }

  private CompletableFuture<Issued> assumeRoleWithWebIdentity(
      AwsMintRequest request, Duration duration) {
    String name = SessionNames.of(request.person());
    String token =
        tokens.token(
            AUDIENCE,
            "profile:" + request.profile(),
            Map.of(
                "https://aws.amazon.com/source_identity",
                request.sourceIdentity(),
                "https://aws.amazon.com/tags",
                Map.of(
                    "principal_tags",
                    Map.of(
                        TAG_GRANT, List.of(grantTag(request)),
                        TAG_PROFILE, List.of(TagValues.of(request.profile())))),
                request.under().claim(),
                request.under().value()));
    AssumeRoleWithWebIdentityRequest.Builder call = AssumeRoleWithWebIdentityRequest.builder();
    if (!request.sessionPolicy().policyArns().isEmpty()) {
      call.policyArns(SessionPolicies.arns(request));
    }
    return clients
        .sts(request.role().region(), true)
        .assumeRoleWithWebIdentity(
            call.roleArn(request.role().roleArn())
                .roleSessionName(name)
                .webIdentityToken(token)
                .durationSeconds((int) duration.getSeconds())
                .policy(SessionPolicies.document(request))
                .build())
        .thenApply(
            response ->
                new Issued(
                    response.credentials(), response.responseMetadata().requestId(), duration));
  }

  private static String operation(AwsMintRequest request) {
    return request.role().mode() == AwsRole.Mode.ASSUME_ROLE
        ? "AssumeRole"
        : "AssumeRoleWithWebIdentity";
  }

  /** The grant id, or {@code ci:RULE} for a session under a CI rule without a grant. */
  private static String grantTag(AwsMintRequest request) {
    return TagValues.of(request.under().tag());
  }

  private record Issued(Credentials credentials, String requestId, Duration duration) {}
}
