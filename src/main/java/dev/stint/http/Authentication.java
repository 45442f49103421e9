package dev.stint.http;

import dev.stint.access.Caller;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Directory;
import dev.stint.identity.IssuerUse;
import dev.stint.identity.Principal;
import dev.stint.identity.TokenVerifier;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Requires {@code Authorization: Bearer <token>}: the first handler of the {@link Api}'s {@code
 * /v1} sub-router, so every API route is behind it. Health, metrics, {@code /.well-known} and
 * {@code /v1/login} are outside the API.
 *
 * <p>It also decides which issuers' tokens each path takes: {@code /v1/exchange} and the paths
 * below it are for CI tokens, every other path for people's. The default is the people's side, so a
 * route added later is closed to CI tokens without anyone having to remember it. A refusal here is
 * a verified caller in the wrong place, so it is audited ({@code identity.refused}).
 *
 * <p>A token stint issued itself ({@link OwnTokens}: a task lease's) is told by its shape, taken
 * only on the call its kind names (refused elsewhere, audited the same way, before any lookup), and
 * resolved by the package that keeps it into the caller it stands for; no route finishes it.
 *
 * <p>A person is then as the {@link Directory} has them: a person it knows is judged by its groups
 * from here on, and a person it deprovisioned is refused (audited the same way), however long their
 * token has left. A person it does not know yet is looked for in the directory's store first
 * ({@link Directory#admitNow}), so a leaver it lists as inactive is refused on their very first
 * call; when it cannot tell in time, the call fails as unavailable, never admitted.
 */
public final class Authentication implements Handler<RoutingContext> {
  private static final String KEY = "stint.principal";

  /** Minting on a task lease: a CI job's token, and a lease's own, are taken there. */
  private static final String FOR_LEASES = "/v1/credentials";

  /** The CI side: the exchange and the paths below it; everything else is the people's. */
  private static final String FOR_CI = "/v1/exchange";

  private final TokenVerifier verifier;
  private final Function<Principal, Set<IssuerUse>> usesOf;
  private final AuditLog audit;
  private final Directory directory;
  private final Consumer<Principal> personSeen;
  private final List<OwnTokens> own;

  /**
   * {@code usesOf} answers, under the policy in force, what a caller's issuer is for; {@code
   * directory} gives a person it knows their groups and refuses one it deprovisioned; {@code
   * personSeen} hears of each person admitted to the people's endpoints (it must not block); {@code
   * own} are the kinds of token stint issues itself.
   */
  public Authentication(
      TokenVerifier verifier,
      Function<Principal, Set<IssuerUse>> usesOf,
      AuditLog audit,
      Directory directory,
      Consumer<Principal> personSeen,
      List<OwnTokens> own) {
    this.verifier = verifier;
    this.usesOf = usesOf;
    this.audit = audit;
    this.directory = directory;
    this.personSeen = personSeen;
    this.own = List.copyOf(own);
  }

  /** The verified caller of a request that passed this handler. */
  public static Principal principal(RoutingContext ctx) {
    Principal p = ctx.get(KEY);
    if (p == null) {
      throw new StintException(ErrorCode.UNAUTHENTICATED, "a valid bearer token is required");
    }
    return p;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null
        || !header.regionMatches(true, 0, "Bearer ", 0, 7)
        || header.substring(7).isBlank()) {
      ctx.fail(new StintException(ErrorCode.UNAUTHENTICATED, "a bearer token is required"));
      return;
    }
    String bearer = header.substring(7).trim();
    Optional<OwnTokens> kind = own.stream().filter(k -> k.shaped(bearer)).findFirst();
    if (kind.isPresent()) {
      ownToken(ctx, kind.get(), bearer);
      return;
    }
    Context context = Vertx.currentContext();
    verifier
        .verify(bearer)
        .onComplete(
            result -> {
              // Key fetches shared between event loops may complete on another one; the routing
              // context must only be touched from its own.
              resume(
                  context,
                  () -> {
                    if (result.succeeded()) {
                      admit(ctx, result.result());
                    } else {
                      ctx.fail(result.cause());
                    }
                  });
            });
  }

  /**
   * A token of stint's own: refused, before any lookup, anywhere its kind is not taken; else
   * resolved by its kind's port into the caller it stands for (a refusal there is recorded by the
   * port).
   */
  private void ownToken(RoutingContext ctx, OwnTokens kind, String bearer) {
    if (!kind.takenOn(ctx)) {
      refuse(
          ctx, kind.unverified(), new StintException(ErrorCode.UNAUTHENTICATED, kind.elsewhere()));
      return;
    }
    Caller unverified =
        new Caller(
            kind.unverified(),
            ClientAddresses.of(ctx),
            Optional.ofNullable(ctx.request().getHeader("User-Agent")));
    Context context = Vertx.currentContext();
    kind.resolve(bearer, unverified)
        .onComplete(
            result ->
                resume(
                    context,
                    () -> {
                      if (result.succeeded()) {
                        ctx.put(KEY, result.result());
                        ctx.next();
                      } else {
                        ctx.fail(result.cause());
                      }
                    }));
  }

  private void admit(RoutingContext ctx, Principal verified) {
    String path = ctx.normalizedPath();
    boolean ci = path.equals(FOR_CI) || path.startsWith(FOR_CI + "/");
    IssuerUse needed = ci ? IssuerUse.CI : IssuerUse.PEOPLE;
    Set<IssuerUse> uses = usesOf.apply(verified);
    if (!uses.contains(needed) && !(uses.contains(IssuerUse.CI) && mintsOnLease(ctx))) {
      refuse(ctx, verified, StintException.forbidden(wrongSide(verified, ci)));
      return;
    }
    // A person the directory does not know yet is looked for before the call goes on: answered at
    // once for everyone else, so the common case stays on this thread.
    Context context = Vertx.currentContext();
    directory
        .admitNow(verified)
        .onComplete(
            result ->
                resume(
                    context,
                    () -> {
                      if (result.failed()) {
                        ctx.fail(result.cause());
                      } else if (result.result().isEmpty()) {
                        refuse(ctx, verified, StintException.forbidden(Directory.DEPROVISIONED));
                      } else {
                        // A CI job minting on a lease is no person seen.
                        admitted(
                            ctx, result.result().get(), ci || !uses.contains(IssuerUse.PEOPLE));
                      }
                    }));
  }

  private void admitted(RoutingContext ctx, Principal p, boolean ci) {
    if (!ci) {
      personSeen.accept(p);
    }
    ctx.put(KEY, p);
    ctx.next();
  }

  /**
   * Whether the call mints on a task lease ({@code POST /v1/credentials} naming one): a CI job's
   * token is taken there too, for a lease that names the job as its agent, which the issuance
   * checks; and a lease's own token, there alone.
   */
  static boolean mintsOnLease(RoutingContext ctx) {
    if (!ctx.request().method().equals(HttpMethod.POST)
        || !ctx.normalizedPath().equals(FOR_LEASES)
        || ctx.body() == null) {
      return false;
    }
    try {
      return ctx.body().asJsonObject().getValue("lease") instanceof String;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Runs {@code step} on {@code context}: the routing context is only touched from its own. */
  private static void resume(Context context, Runnable step) {
    if (context == null || Vertx.currentContext() == context) {
      step.run();
    } else {
      context.runOnContext(v -> step.run());
    }
  }

  private static String wrongSide(Principal p, boolean ci) {
    return ci
        ? "tokens from issuer '" + p.issuerName() + "' are for people; CI rules take CI tokens"
        : "tokens from issuer '" + p.issuerName() + "' are for CI jobs (POST /v1/exchange) only";
  }

  /** A verified caller refused here, recorded as {@code identity.refused}. */
  private void refuse(RoutingContext ctx, Principal p, StintException refused) {
    AuditEvent event =
        AuditEvent.builder("identity.refused")
            .actor(p.issuer(), p.subject(), p.email().orElse(null))
            .client(ClientAddresses.of(ctx).orElse(null), ctx.request().getHeader("User-Agent"))
            .outcome("refused")
            .reason(refused.detail())
            .detail("path", ctx.normalizedPath())
            .detail("issuer", p.issuerName())
            .detail("code", refused.code().code())
            .build();
    audit.append(event).onComplete(done -> ctx.fail(done.succeeded() ? refused : done.cause()));
  }
}
