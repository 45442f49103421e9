package dev.stint.http;

import dev.stint.access.Grants;
import dev.stint.issuance.CachedCredentialCheck;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerCredential;
import dev.stint.ledger.LedgerEntry;
import dev.stint.mint.Receipt;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * {@code GET /v1/requests/{id}/credentials}: what was issued on a request's grant, from the
 * credentials ledger, for whoever may see the request. Names and expiries only: the ledger holds no
 * secret. {@code GET /v1/credentials/{id}}: whether the CLI may still serve a credential it cached,
 * for its holder ({@link CachedCredentialCheck}).
 */
public final class IssuedRoutes implements ApiModule {
  private final Grants grants;
  private final Ledger ledger;
  private final Clock clock;

  private final CachedCredentialCheck cached;

  public IssuedRoutes(Grants grants, Ledger ledger, Clock clock) {
    this.grants = grants;
    this.ledger = ledger;
    this.clock = clock;
    this.cached = new CachedCredentialCheck(grants, ledger, clock);
  }

  @Override
  public void register(Router v1) {
    v1.get("/requests/:id/credentials").handler(this::credentials);
    v1.get("/credentials/:id").handler(this::cachedCheck);
  }

  private void cachedCheck(RoutingContext ctx) {
    cached
        .check(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .onComplete(
            done -> {
              if (done.failed()) {
                ctx.fail(done.cause());
                return;
              }
              CachedCredentialCheck.Answer a = done.result();
              ctx.json(
                  new JsonObject()
                      .put("id", ctx.pathParam("id"))
                      .put("grant_id", a.grantId().orElse(null))
                      .put("profile", a.profile())
                      .put("serve", a.verdict() == CachedCredentialCheck.Verdict.SERVE)
                      .put("reason", a.verdict().code()));
            });
  }

  private void credentials(RoutingContext ctx) {
    grants
        .get(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .compose(
            r ->
                r.grant()
                    .map(g -> ledger.ofGrant(g.id()))
                    .orElseGet(() -> Future.succeededFuture(List.of())))
        .onComplete(
            done -> {
              if (done.failed()) {
                ctx.fail(done.cause());
                return;
              }
              Instant now = clock.instant();
              JsonArray out = new JsonArray();
              done.result().forEach(c -> out.add(of(c, now)));
              ctx.json(new JsonObject().put("credentials", out));
            });
  }

  /** One ledger row as the API shows it (docs/api.md). */
  static JsonObject of(LedgerCredential c, Instant now) {
    LedgerEntry e = c.entry();
    Receipt r = e.receipt();
    return new JsonObject()
        .put("id", e.id())
        .put("grant_id", e.basis().grantId().orElse(null))
        .put("request_id", e.basis().requestId().orElse(null))
        .put("ci_rule", e.basis().ciRule().orElse(null))
        .put(
            "holder",
            new JsonObject()
                .put("issuer", e.holder().issuer())
                .put("subject", e.holder().subject()))
        .put("profile", e.profile())
        .put("cloud", r.cloud())
        .put("target", r.target())
        .put("access_key_id", r.accessKeyId().orElse(null))
        .put("fingerprint", r.fingerprint().orElse(null))
        .put("token_id", r.tokenId().map(Receipt.TokenId::id).orElse(null))
        .put("session_name", r.sessionName().orElse(null))
        .put("source_identity", r.sourceIdentity().orElse(null))
        .put("revocable", r.revocable())
        .put("issued_at", c.issuedAt().toString())
        .put("expires_at", r.expiresAt().toString())
        .put("state", c.stateAt(now).code())
        .put("ended_at", c.ended().map(Instant::toString).orElse(null))
        // A cutoff written for other grants' revocations denied it: a cached copy must be
        // refreshed.
        .put("cut_at", c.cut().map(Instant::toString).orElse(null))
        .put("parameters", parameters(e.narrowing()))
        .put("narrowed_policy_sha256", e.narrowing().policySha256().orElse(null));
  }

  /** A narrowed credential's values; null for one on a profile without parameters. */
  private static JsonObject parameters(LedgerEntry.Narrowing narrowing) {
    return narrowing.isNarrowed()
        ? new JsonObject(new LinkedHashMap<>(narrowing.values().values()))
        : null;
  }
}
