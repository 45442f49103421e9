package dev.stint.web;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Directory;
import dev.stint.identity.Principal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Sign-in to the pages with the company IdP: authorization code + PKCE (S256), {@code state} and
 * {@code nonce}, against the policy's {@code web:} issuer. The pending sign-in lives in Postgres
 * (single use) and is bound to the browser by a short-lived cookie holding the state, so a callback
 * URL replayed or planted in another browser is refused. The ID token is verified by the same
 * verifier as API tokens, with the web client as audience, and its nonce checked.
 */
final class SignIn {
  static final Duration LOGIN_TTL = Duration.ofMinutes(10);

  private final WebSessions sessions;
  private final WebIdp idp;
  private final AuditLog audit;
  private final Directory directory;
  private final URI publicUrl;
  private final Duration sessionTtl;
  private final Optional<String> clientSecret;
  private final WebCookies cookies;
  private final Clock clock;
  private final Function<Principal, Future<Void>> signedIn;

  /** {@code signedIn} hears of each verified sign-in (Slack links refresh their claims). */
  SignIn(
      WebSessions sessions,
      WebIdp idp,
      AuditLog audit,
      Directory directory,
      WebSettings settings,
      Clock clock,
      Function<Principal, Future<Void>> signedIn) {
    this.signedIn = signedIn;
    this.directory = directory;
    this.sessions = sessions;
    this.idp = idp;
    this.audit = audit;
    this.publicUrl = settings.publicUrl();
    this.sessionTtl = settings.sessionTtl();
    this.clientSecret = settings.clientSecret();
    this.cookies = new WebCookies(settings.publicUrl());
    this.clock = clock;
  }

  URI redirectUri() {
    String base = publicUrl.toString().replaceAll("/+$", "");
    return URI.create(base + "/ui/callback");
  }

  /** {@code GET /ui/login}: starts a sign-in and sends the browser to the IdP. */
  Future<?> login(RoutingContext ctx) {
    WebIssuer issuer = idp.issuer();
    String returnTo = ReturnTarget.safe(ctx.queryParams().get("return_to"));
    String state = WebSessions.randomSecret();
    String nonce = WebSessions.randomSecret();
    String verifierSecret = WebSessions.randomSecret();
    Instant now = clock.instant();
    Context context = Vertx.currentContext();
    return idp.client()
        .endpoints(issuer.issuerUrl())
        .compose(
            endpoints ->
                sessions
                    .startLogin(
                        state,
                        new WebSessions.PendingLogin(nonce, verifierSecret, returnTo),
                        now,
                        now.plus(LOGIN_TTL))
                    .map(endpoints))
        .onSuccess(
            endpoints ->
                WebGuard.resume(
                    context,
                    () -> {
                      Map<String, String> query = new LinkedHashMap<>();
                      query.put("response_type", "code");
                      query.put("client_id", issuer.clientId());
                      query.put("redirect_uri", redirectUri().toString());
                      query.put("scope", String.join(" ", issuer.scopes()));
                      query.put("state", state);
                      query.put("nonce", nonce);
                      query.put("code_challenge", challenge(verifierSecret));
                      query.put("code_challenge_method", "S256");
                      if ("1".equals(ctx.queryParams().get("fresh"))) {
                        // Step-up: the IdP must authenticate the person again, and says when in
                        // auth_time.
                        query.put("max_age", "0");
                      }
                      String base = endpoints.authorization().toString();
                      ctx.response().addCookie(cookies.login(state, LOGIN_TTL.toSeconds()));
                      ctx.response()
                          .setStatusCode(302)
                          .putHeader(
                              "Location", base + (base.contains("?") ? "&" : "?") + encode(query))
                          .end();
                    }));
  }

  /** {@code GET /ui/callback}: finishes a sign-in and opens a session. */
  Future<?> callback(RoutingContext ctx) {
    String state = ctx.queryParams().get("state");
    Cookie bound = ctx.request().getCookie(cookies.loginName());
    ctx.response().addCookie(cookies.endLogin());
    // The state must be the one this browser was sent off with, before anything is believed.
    if (state == null || bound == null || !Csrf.matches(bound.getValue(), state)) {
      throw refused("this sign-in was not started in this browser (or it was already used)");
    }
    Instant now = clock.instant();
    Context context = Vertx.currentContext();
    return sessions
        .takeLogin(state, now)
        .compose(
            pending -> {
              if (pending.isEmpty()) {
                return Future.failedFuture(refused("this sign-in has expired or was already used"));
              }
              String error = ctx.queryParams().get("error");
              if (error != null) {
                return Future.failedFuture(
                    refused("the identity provider refused the sign-in: " + clip(error)));
              }
              String code = ctx.queryParams().get("code");
              if (code == null || code.isBlank()) {
                return Future.failedFuture(
                    refused("the identity provider sent no authorization code"));
              }
              return finish(pending.get(), code).compose(done -> endPrevious(ctx).map(done));
            })
        .onSuccess(
            done ->
                WebGuard.resume(
                    context,
                    () -> {
                      ctx.response()
                          .addCookie(
                              cookies.session(
                                  done.session().secret(),
                                  Math.max(
                                      1,
                                      Duration.between(clock.instant(), done.session().expiresAt())
                                          .toSeconds())));
                      Respond.seeOther(ctx, done.returnTo());
                    }));
  }

  private record Done(WebSessions.Session session, String returnTo) {}

  /**
   * A browser that signs in again gets a new session id; the one it held before is deleted, so an
   * id planted or seen earlier never becomes a signed-in session (best effort).
   */
  private Future<Void> endPrevious(RoutingContext ctx) {
    Cookie previous = ctx.request().getCookie(cookies.sessionName());
    if (previous == null || previous.getValue().isBlank() || previous.getValue().length() > 100) {
      return Future.succeededFuture();
    }
    return sessions.delete(previous.getValue()).recover(e -> Future.succeededFuture());
  }

  private Future<Done> finish(WebSessions.PendingLogin pending, String code) {
    WebIssuer issuer = idp.issuer();
    return idp.client()
        .endpoints(issuer.issuerUrl())
        .compose(
            endpoints ->
                idp.client()
                    .redeem(
                        endpoints.token(),
                        issuer.clientId(),
                        clientSecret,
                        Map.of(
                            "code",
                            code,
                            "redirect_uri",
                            redirectUri().toString(),
                            "code_verifier",
                            pending.codeVerifier())))
        .compose(
            idToken ->
                idp.verifier()
                    .verify(idToken)
                    .recover(e -> Future.failedFuture(refused("the ID token was refused"))))
        .compose(
            p -> {
              checkBinding(p, pending, issuer);
              // A person the directory does not know yet is looked for first: one it lists as
              // inactive gets no session, even at their first sign-in.
              return directory
                  .admitNow(p)
                  .compose(admitted -> admitted.isEmpty() ? leaverRefused(p) : session(p, pending));
            });
  }

  /** A session for {@code p}, who signed in and whom the directory admits. */
  private Future<Done> session(Principal p, WebSessions.PendingLogin pending) {
    Instant now = clock.instant();
    Instant ends =
        p.tokenExpiresAt().isBefore(now.plus(sessionTtl))
            ? p.tokenExpiresAt()
            : now.plus(sessionTtl);
    if (!ends.isAfter(now)) {
      throw refused("the ID token has already expired");
    }
    return sessions
        .create(WebGuard.stored(p), now, ends)
        .compose(s -> audited(p, s).map(new Done(s, pending.returnTo())))
        .compose(
            done ->
                signedIn
                    .apply(p)
                    .recover(
                        e -> {
                          // The sign-in stands; a Slack link keeps its older claims (and
                          // may go stale).
                          LoggerFactory.getLogger(SignIn.class)
                              .warn("sign-in hook failed: {}", e.getMessage());
                          return Future.succeededFuture();
                        })
                    .map(done));
  }

  /** The token must answer this sign-in (nonce) and be meant for this client (azp). */
  private static void checkBinding(
      Principal p, WebSessions.PendingLogin pending, WebIssuer issuer) {
    Object nonce = p.claims().get("nonce");
    if (!(nonce instanceof String n)
        || !MessageDigest.isEqual(
            n.getBytes(StandardCharsets.UTF_8), pending.nonce().getBytes(StandardCharsets.UTF_8))) {
      throw refused("the ID token does not answer this sign-in (nonce mismatch)");
    }
    Object aud = p.claims().get("aud");
    Object azp = p.claims().get("azp");
    if (aud instanceof List<?> list && list.size() > 1 && !issuer.clientId().equals(azp)) {
      throw refused("the ID token was issued to another client (azp)");
    }
  }

  /** A person the directory deprovisioned: no session, and the refusal on record. */
  private <T> Future<T> leaverRefused(Principal p) {
    return audit
        .append(
            AuditEvent.builder("identity.refused")
                .actor(p.issuer(), p.subject(), p.email().orElse(null))
                .outcome("refused")
                .reason(Directory.DEPROVISIONED)
                .detail("path", "/ui/callback")
                .detail("issuer", p.issuerName())
                .detail("code", ErrorCode.FORBIDDEN.code())
                .build())
        .compose(
            x ->
                Future.failedFuture(
                    new StintException(
                        ErrorCode.FORBIDDEN, "Sign-in refused: " + Directory.DEPROVISIONED)));
  }

  private Future<Void> audited(Principal p, WebSessions.Session s) {
    return audit
        .append(
            AuditEvent.builder("web.signed_in")
                .actor(p.issuer(), p.subject(), p.email().orElse(null))
                .outcome("ok")
                .detail("session_expires_at", s.expiresAt().toString())
                .build())
        .mapEmpty();
  }

  /** {@code POST /ui/logout} (CSRF-checked by the guard): ends the session. */
  Future<?> logout(RoutingContext ctx) {
    Visitor v = Visitor.of(ctx);
    Context context = Vertx.currentContext();
    return sessions
        .delete(v.sessionSecret())
        .onSuccess(
            x ->
                WebGuard.resume(
                    context,
                    () -> {
                      ctx.response().addCookie(cookies.endSession());
                      ctx.remove(Visitor.KEY);
                      Respond.html(
                          ctx,
                          200,
                          Layout.page(
                              Optional.empty(),
                              "Signed out",
                              Html.of(
                                  "<p>You are signed out of stint.</p><p><a href=\"/ui/login\">Sign in again</a></p>")));
                    }));
  }

  private static StintException refused(String why) {
    return new StintException(
        ErrorCode.UNAUTHENTICATED, "Sign-in failed: " + why + ". Start again.");
  }

  private static String clip(String s) {
    String t = s.length() <= 100 ? s : s.substring(0, 100) + "…";
    return t.replaceAll("[^\\x20-\\x7e]", "?");
  }

  static String challenge(String verifier) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(WebSessions.sha256(verifier));
  }

  private static String encode(Map<String, String> query) {
    return query.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
