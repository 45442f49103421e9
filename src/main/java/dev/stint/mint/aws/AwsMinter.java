package dev.stint.mint.aws;

import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.Cloud;
import dev.stint.common.AwsSessionPolicy;
import dev.stint.error.StintException;
import dev.stint.mint.ActivityLookup;
import dev.stint.mint.Blocking;
import dev.stint.mint.CloudMinter;
import dev.stint.mint.ConsoleSignIn;
import dev.stint.mint.Lifetimes;
import dev.stint.mint.MintException;
import dev.stint.mint.MintOrder;
import dev.stint.mint.SessionRevoker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * AWS, the policy's {@code aws:} target: mints an STS session for one grant (ARCHITECTURE §7); with
 * its {@link Sessions}, the console sign-in ({@link AwsConsole}), a revoke that ends live sessions
 * with each role's IAM deny ({@link AwsSessionRevoker}), and what the sessions did, from CloudTrail
 * ({@link AwsActivity}).
 *
 * <p>Every session carries: the duration it is handed (already capped, within STS's limits); a
 * session policy ({@link dev.stint.common.AwsSessionPolicy}) that denies everything after the hard
 * end, and from outside the profile's {@code source_cidrs}, and narrows the role as the profile
 * says; the person's name as {@code RoleSessionName} (for people reading CloudTrail); the per-grant
 * {@link SourceIdentities source identity}; and the session tags {@code stint:grant} and {@code
 * stint:profile}. A task lease's session also carries {@code stint:lease} (its lease id), names the
 * lease in its source identity (so the lease alone can be revoked), and has the lease's own
 * statements, when it has some, in place of the profile's inline session policy. Under a CI rule
 * that mints without a grant, {@code stint:grant} is {@code ci:RULE}: role trust policies demand
 * the tag on every session (so that every session is one revocation can reach), and no grant id has
 * that form. Revocation keys on the tag and the source identity, never on the name. The tags are
 * <em>not</em> transitive: the source identity already follows role chaining, and transitive tags
 * would make every chained {@code AssumeRole} need {@code sts:TagSession} in the next role's trust
 * policy.
 *
 * <p>In {@code web_identity} mode STS takes the source identity and tags from the token's {@code
 * https://aws.amazon.com/source_identity} and {@code https://aws.amazon.com/tags} claims; the
 * token's subject is {@code profile:NAME} so each role's trust policy can pin its profile.
 */
public final class AwsMinter implements CloudMinter<AwsTarget, AwsSession> {
  /** The audience of stint's web-identity tokens; the IAM OIDC provider lists it as client id. */
  public static final String AUDIENCE = "sts.amazonaws.com";

  static final String TAG_GRANT = "stint:grant";
  static final String TAG_PROFILE = "stint:profile";
  static final String TAG_LEASE = "stint:lease";
  private static final Logger LOG = LoggerFactory.getLogger(AwsMinter.class);

  /** What a caller asking for keys on an Identity Center grant is told instead. */
  static final String IDENTITY_CENTER =
      "this profile's grant is an IAM Identity Center assignment: use the AWS access portal or"
          + " `aws sso login`; stint issues no keys for it";

  private final AwsClients clients;
  private final WebIdentityTokens tokens;
  private final Executor executor;
  private final Clock clock;
  private final Optional<Sessions> sessions;

  /** What AWS does with its sessions once minted, beside minting them. */
  public record Sessions(AwsConsole console, AwsSessionRevoker revoker, AwsActivity activity) {
    public Sessions {
      Objects.requireNonNull(console, "console");
      Objects.requireNonNull(revoker, "revoker");
      Objects.requireNonNull(activity, "activity");
    }
  }

  /**
   * A minter alone: no console sign-in, no revoker, no activity lookups.
   *
   * @param executor runs the blocking SDK calls; never an event loop
   */
  public AwsMinter(AwsClients clients, WebIdentityTokens tokens, Executor executor, Clock clock) {
    this(clients, tokens, executor, clock, Optional.empty());
  }

  private AwsMinter(
      AwsClients clients,
      WebIdentityTokens tokens,
      Executor executor,
      Clock clock,
      Optional<Sessions> sessions) {
    this.clients = clients;
    this.tokens = tokens;
    this.executor = executor;
    this.clock = clock;
    this.sessions = sessions;
  }

  /** This minter with the console sign-in, the revoker and the activity lookups of its sessions. */
  public AwsMinter with(Sessions sessions) {
    return new AwsMinter(clients, tokens, executor, clock, Optional.of(sessions));
  }

  @Override
  public Cloud<AwsTarget> cloud() {
    return Cloud.AWS;
  }

  @Override
  public Lifetimes.CloudLimits limits() {
    return Lifetimes.CloudLimits.AWS;
  }

  @Override
  public Optional<ConsoleSignIn<AwsTarget, AwsSession>> console() {
    return sessions.map(
        s ->
            (target, profile, destination, region) ->
                landing(s.console(), target, profile, destination, region));
  }

  @Override
  public Optional<SessionRevoker> revoker() {
    return sessions.map(Sessions::revoker);
  }

  @Override
  public Optional<ActivityLookup> activity() {
    return sessions.map(Sessions::activity);
  }

  /**
   * The role's partition decides the sign-in and console hosts; the page and region are checked
   * here, before anything is minted.
   */
  private static ConsoleSignIn.Landing<AwsSession> landing(
      AwsConsole console,
      AwsTarget target,
      String profile,
      Optional<String> destination,
      Optional<String> region) {
    AwsPartition partition =
        AwsPartition.ofArn(target.roleArn())
            .orElseThrow(
                () ->
                    StintException.invalid(
                        "profile "
                            + profile
                            + " has a role in an AWS partition without a console sign-in"));
    AwsConsole.Landing landing = new AwsConsole.Landing(partition, destination, region);
    console.destination(landing);
    return session ->
        console.link(new AwsConsole.Request(session, profile, landing, session.expiration()));
  }

  /**
   * Mints a session. The future fails with a {@link dev.stint.mint.MintException} (forbidden,
   * upstream_unavailable, …) whose detail is safe to show the caller.
   *
   * <p>The call starts on the executor, because resolving stint's own AWS identity may block (the
   * SDK's default chain reads files and metadata endpoints); it then waits for AWS on no thread at
   * all, and completes on the event loop that received the answer.
   */
  @Override
  public CompletableFuture<AwsSession> mint(AwsTarget target, MintOrder order) {
    CompletableFuture<AwsSession> session = new CompletableFuture<>();
    Blocking.supply(
            executor,
            () -> call(target, order),
            busy -> MintException.unavailable("AWS", order.profile(), busy))
        .whenComplete(
            (call, refused) -> {
              if (refused != null) {
                session.completeExceptionally(refused);
                return;
              }
              call.whenComplete(
                  (issued, failed) -> {
                    if (failed == null) {
                      session.complete(session(target, order, issued));
                    } else {
                      session.completeExceptionally(failure(target, order, failed));
                    }
                  });
            });
    return session;
  }

  private CompletableFuture<Issued> call(AwsTarget target, MintOrder order) {
    if (target.assignment().isPresent()) {
      // Nothing is minted for an Identity Center grant: STS is never asked.
      return CompletableFuture.failedFuture(MintException.invalid(IDENTITY_CENTER));
    }
    // The order's lifetime was capped before it waited in the start queue; capped again now,
    // the session cannot outlive the hard end by that wait (the same cap: it refuses an ended
    // one, and keeps STS's floor, which the session policy's deny covers).
    Duration duration =
        Lifetimes.cap(
                new Lifetimes.Allowed(
                    Optional.of(order.lifetime()), order.lifetime(), order.hardEnd()),
                Lifetimes.CloudLimits.AWS,
                clock.instant())
            .duration();
    AwsSessionPolicy policy;
    try {
      // A lease's own statements stand in for the profile's (already filled: no values to fill).
      policy =
          order.statements().isPresent()
              ? target.sessionPolicyWith(order.sources(), order.statements().get())
              : target.sessionPolicyFrom(order.sources(), order.parameters());
    } catch (IllegalArgumentException | IllegalStateException e) {
      // Before STS is called: what it would refuse (a value its pattern does not admit, a policy
      // past its size) is never sent.
      return CompletableFuture.failedFuture(MintException.invalid(e.getMessage()));
    }
    return revocable(target, order)
        .thenCompose(
            x -> {
              try {
                return switch (target.mode()) {
                  case ASSUME_ROLE -> assumeRole(target, order, policy, duration);
                  case WEB_IDENTITY -> assumeRoleWithWebIdentity(target, order, policy, duration);
                  case IDENTITY_CENTER ->
                      CompletableFuture.failedFuture(MintException.invalid(IDENTITY_CENTER));
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
  private CompletableFuture<Void> revocable(AwsTarget target, MintOrder order) {
    return clients
        .accounts()
        .unreachable(target.roleArn())
        .exceptionally(
            failed -> {
              Throwable cause = failed instanceof CompletionException c ? c.getCause() : failed;
              if (cause instanceof SdkException e) {
                throw AwsErrors.map(
                    "GetCallerIdentity or AssumeRole on the broker role", order.profile(), e);
              }
              if (cause instanceof IllegalArgumentException e) {
                throw MintException.misconfigured(
                    order.profile(), "the role ARN is not an IAM role ARN", e);
              }
              throw new CompletionException(cause);
            })
        .thenAccept(
            unreachable -> {
              if (unreachable.isPresent()) {
                throw AwsAccounts.refusedUnreachable(order.profile(), unreachable.get());
              }
            });
  }

  private AwsSession session(AwsTarget target, MintOrder order, Issued issued) {
    Credentials c = issued.credentials();
    Instant expiration =
        c.expiration().isBefore(order.hardEnd()) ? c.expiration() : order.hardEnd();
    LOG.info(
        "AWS {} for profile {} {}: access_key_id={} expiration={} sts_expiration={}"
            + " duration_s={} request_id={}",
        operation(target),
        order.profile(),
        order.under().label(),
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
        target.roleArn(),
        SessionNames.of(order.holder()),
        sourceIdentity(order),
        target.region());
  }

  /** What the SDK's future failed with, as the caller may see it. */
  private static Throwable failure(AwsTarget target, MintOrder order, Throwable failed) {
    Throwable cause =
        failed instanceof CompletionException && failed.getCause() != null
            ? failed.getCause()
            : failed;
    return cause instanceof SdkException e
        ? AwsErrors.map(operation(target), order.profile(), e)
        : cause;
  }

  private CompletableFuture<Issued> assumeRole(
      AwsTarget target, MintOrder order, AwsSessionPolicy policy, Duration duration) {
    String name = SessionNames.of(order.holder());
    AssumeRoleRequest.Builder call = AssumeRoleRequest.builder();
    if (!target.sessionPolicyArns().isEmpty()) {
      // Only when there are some: the SDK would send an explicitly empty list as "PolicyArns=".
      call.policyArns(SessionPolicies.arns(policy));
    }
    return clients
        .sts(target.region(), false)
        .assumeRole(
            call.roleArn(target.roleArn())
                .roleSessionName(name)
                .sourceIdentity(sourceIdentity(order))
                .durationSeconds((int) duration.getSeconds())
                .policy(SessionPolicies.document(policy, order.hardEnd()))
                .tags(
                    sessionTags(order).entrySet().stream()
                        .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                        .toList())
                .build())
        .thenApply(
            response ->
                new Issued(
                    response.credentials(), response.responseMetadata().requestId(), duration));
  }

  private CompletableFuture<Issued> assumeRoleWithWebIdentity(
      AwsTarget target, MintOrder order, AwsSessionPolicy policy, Duration duration) {
    String name = SessionNames.of(order.holder());
    Map<String, List<String>> principalTags = new LinkedHashMap<>();
    sessionTags(order).forEach((key, value) -> principalTags.put(key, List.of(value)));
    Map<String, Object> claims = new LinkedHashMap<>(order.under().claims());
    claims.put("https://aws.amazon.com/source_identity", sourceIdentity(order));
    claims.put("https://aws.amazon.com/tags", Map.of("principal_tags", principalTags));
    String token = tokens.token(AUDIENCE, "profile:" + order.profile(), claims);
    AssumeRoleWithWebIdentityRequest.Builder call = AssumeRoleWithWebIdentityRequest.builder();
    if (!target.sessionPolicyArns().isEmpty()) {
      call.policyArns(SessionPolicies.arns(policy));
    }
    return clients
        .sts(target.region(), true)
        .assumeRoleWithWebIdentity(
            call.roleArn(target.roleArn())
                .roleSessionName(name)
                .webIdentityToken(token)
                .durationSeconds((int) duration.getSeconds())
                .policy(SessionPolicies.document(policy, order.hardEnd()))
                .build())
        .thenApply(
            response ->
                new Issued(
                    response.credentials(), response.responseMetadata().requestId(), duration));
  }

  private static String operation(AwsTarget target) {
    return target.mode() == AwsTarget.Mode.ASSUME_ROLE ? "AssumeRole" : "AssumeRoleWithWebIdentity";
  }

  /** Per grant; under a CI rule, per rule (there is no grant to revoke). */
  static String sourceIdentity(MintOrder order) {
    return SourceIdentities.of(order.issuer(), order.subject(), order.under().sourceTag());
  }

  /**
   * {@code stint:grant}: the grant id, or {@code ci:RULE} for a session under a CI rule without a
   * grant; {@code stint:profile}; and for a lease's session, {@code stint:lease}: its lease id.
   */
  static Map<String, String> sessionTags(MintOrder order) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(TAG_GRANT, TagValues.of(order.under().tag()));
    tags.put(TAG_PROFILE, TagValues.of(order.profile()));
    order.under().lease().ifPresent(lease -> tags.put(TAG_LEASE, TagValues.of(lease)));
    return tags;
  }

  private record Issued(Credentials credentials, String requestId, Duration duration) {}
}
