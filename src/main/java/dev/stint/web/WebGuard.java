package dev.stint.web;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.error.ErrorCode;
import dev.stint.identity.Directory;
import dev.stint.identity.Principal;
import dev.stint.identity.Principals;
import dev.stint.people.StoredClaims;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * First handler of every {@code /ui} request. It sets the security headers, then lets through only
 * the sign-in endpoints and the static files; every other page needs a live session (signed-out
 * visitors are sent to sign in and see nothing), and every POST must also carry the session's CSRF
 * token and, when the browser sends one, this server's Origin.
 */
final class WebGuard {
  private static final Set<String> OPEN = Set.of("/ui/login", "/ui/callback");

  /**
   * No script but same-origin files, no framing, no plugins, no base-URL games. form-action is left
   * open on purpose: "Open console" answers its POST with a redirect to AWS sign-in.
   */
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self';"
          + " img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private final WebSessions sessions;
  private final PolicyInForce policies;
  private final String publicOrigin;
  private final WebCookies cookies;
  private final Directory directory;
  private final AuditLog audit;
  private final Clock clock;
  private final boolean slack;

  /** {@code slack}: whether the server has a Slack app, so pages may offer its linking page. */
  WebGuard(
      WebSessions sessions,
      PolicyInForce policies,
      Directory directory,
      AuditLog audit,
      URI publicUrl,
      Clock clock,
      boolean slack) {
    this.slack = slack;
    this.audit = audit;
    this.sessions = sessions;
    this.policies = policies;
    this.directory = directory;
    this.publicOrigin = origin(publicUrl);
    this.cookies = new WebCookies(publicUrl);
    this.clock = clock;
  }

  static String origin(URI url) {
    int port = url.getPort();
    boolean defaultPort =
        port == -1
            || ("https".equals(url.getScheme()) && port == 443)
            || ("http".equals(url.getScheme()) && port == 80);
    return url.getScheme() + "://" + url.getHost() + (defaultPort ? "" : ":" + port);
  }

  void handle(RoutingContext ctx) {
    ctx.response()
        .headers()
        .set("Content-Security-Policy", CSP)
        .set("X-Frame-Options", "DENY")
        // The callback URL carries an authorization code: never send it to another site as a
        // Referer. Not "no-referrer": with it Chromium sends "Origin: null" on this site's own
        // form posts, and the Origin check below refuses them (found by the browser tests).
        .set("Referrer-Policy", "same-origin")
        .set("Cache-Control", "no-store")
        .set("Cross-Origin-Opener-Policy", "same-origin");
    String path = ctx.normalizedPath();
    if (OPEN.contains(path) || path.startsWith("/ui/static/")) {
      ctx.next();
      return;
    }
    Cookie cookie = ctx.request().getCookie(cookies.sessionName());
    if (cookie == null || cookie.getValue().isBlank() || cookie.getValue().length() > 100) {
      signedOut(ctx);
      return;
    }
    String secret = cookie.getValue();
    Context context = Vertx.currentContext();
    sessions
        .find(secret, clock.instant())
        .onComplete(
            found ->
                resume(
                    context,
                    () -> {
                      if (found.failed()) {
                        Respond.failure(ctx, found.cause());
                        return;
                      }
                      admit(ctx, secret, found.result());
                    }));
  }

  /**
   * The visitor of a session found (or not): signed out without one, refused as a leaver when the
   * directory has deprovisioned its person, else let through with its CSRF token and audit right.
   */
  private void admit(RoutingContext ctx, String secret, Optional<WebSessions.Session> session) {
    Optional<Principal> claimed =
        session.flatMap(s -> principal(s.principal(), policies.current()));
    Optional<Principal> principal = claimed.flatMap(directory::admit);
    if (claimed.isPresent() && principal.isEmpty()) {
      leaverRefused(ctx, secret, claimed.get());
      return;
    }
    if (principal.isEmpty()) {
      signedOut(ctx);
      return;
    }
    Instant now = clock.instant();
    PolicyEvaluator rules = policies.evaluator();
    boolean auditor = rules.mayReadAudit(principal.get(), now).allowed();
    Visitor visitor =
        new Visitor(
            principal.get(),
            secret,
            Csrf.token(secret),
            auditor,
            slack,
            auditor || readsReviews(rules, principal.get(), now));
    ctx.put(Visitor.KEY, visitor);
    if (ctx.request().method() != HttpMethod.GET
        && ctx.request().method() != HttpMethod.HEAD
        && !postAllowed(ctx, visitor)) {
      return;
    }
    ctx.next();
  }

  /**
   * A session of a person the directory has since deprovisioned: the refusal is recorded, the
   * session ended (so the refusal is recorded once, not on every page), and the visitor signed out;
   * signing in again is refused too ({@link SignIn}).
   */
  private void leaverRefused(RoutingContext ctx, String secret, Principal p) {
    Context context = Vertx.currentContext();
    AuditEvent event =
        AuditEvent.builder("identity.refused")
            .actor(p.issuer(), p.subject(), p.email().orElse(null))
            .outcome("refused")
            .reason(Directory.DEPROVISIONED)
            .detail("path", ctx.normalizedPath())
            .detail("issuer", p.issuerName())
            .detail("code", ErrorCode.FORBIDDEN.code())
            .build();
    audit
        .append(event)
        .compose(x -> sessions.delete(secret))
        .onComplete(
            done ->
                resume(
                    context,
                    () -> {
                      if (done.failed()) {
                        Respond.failure(ctx, done.cause());
                      } else {
                        signedOut(ctx);
                      }
                    }));
  }

  /** Whether {@code p} reads some access reviews: an admin, or a reviewer of some profile. */
  private boolean readsReviews(PolicyEvaluator rules, Principal p, Instant now) {
    return rules.isAdmin(p, now)
        || policies.current().profiles().values().stream()
            .anyMatch(profile -> rules.isReviewer(p, profile, now));
  }

  /** Checks Origin (when sent) and the CSRF token; answers 403 itself when either is wrong. */
  private boolean postAllowed(RoutingContext ctx, Visitor visitor) {
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !origin.equals(publicOrigin)) {
      Respond.html(
          ctx,
          403,
          Layout.error(
              Optional.of(visitor),
              403,
              "Forbidden",
              "This form came from "
                  + origin
                  + ", not from "
                  + publicOrigin
                  + " (the server's public_url). Nothing was changed."));
      return false;
    }
    String token = ctx.request().getFormAttribute("csrf");
    if (!Csrf.matches(visitor.csrf(), token)) {
      Respond.html(
          ctx,
          403,
          Layout.error(
              Optional.of(visitor),
              403,
              "Forbidden",
              "This form is missing its security token or has an old one. Reload the page and try"
                  + " again; nothing was changed."));
      return false;
    }
    return true;
  }

  private void signedOut(RoutingContext ctx) {
    if (ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD) {
      String target = ctx.request().uri();
      ctx.response()
          .setStatusCode(302)
          .putHeader(
              "Location",
              "/ui/login?return_to="
                  + URLEncoder.encode(ReturnTarget.safe(target), StandardCharsets.UTF_8))
          .end();
      return;
    }
    Respond.html(
        ctx,
        401,
        Layout.error(
            Optional.empty(),
            401,
            "Signed out",
            "You are not signed in (or your session has ended). Sign in and try again; nothing was"
                + " changed."));
  }

  /**
   * The session's person now: under the policy in force (see {@link #principal}) and as the
   * directory has them. A person the directory deprovisioned has no session: signing in again is
   * refused too ({@link SignIn}).
   */
  Optional<Principal> person(JsonObject stored) {
    return principal(stored, policies.current()).flatMap(directory::admit);
  }

  /**
   * The session's person under the policy in force: the session only counts while its issuer is
   * still the policy's web issuer, at the same URL.
   */
  static Optional<Principal> principal(JsonObject stored, Policy policy) {
    return WebIssuer.of(policy)
        .filter(
            i ->
                i.name().equals(stored.getString("issuer"))
                    && i.issuerUrl().equals(stored.getString("issuer_url")))
        .map(i -> Principals.fromClaims(i, plainMap(stored.getJsonObject("claims"))));
  }

  /** What a session row stores about its person: the verified claims, never a token. */
  static JsonObject stored(Principal p) {
    return StoredClaims.of(p);
  }

  /** Vert.x JSON into plain maps and lists, the shapes {@link Principals} understands. */
  private static Map<String, Object> plainMap(JsonObject json) {
    Map<String, Object> out = new LinkedHashMap<>();
    json.forEach(e -> out.put(e.getKey(), plain(e.getValue())));
    return out;
  }

  private static Object plain(Object v) {
    if (v instanceof JsonObject o) {
      return plainMap(o);
    }
    if (v instanceof JsonArray a) {
      List<Object> out = new ArrayList<>();
      a.forEach(x -> out.add(plain(x)));
      return out;
    }
    return v;
  }

  static void resume(Context context, Runnable step) {
    if (context == null || Vertx.currentContext() == context) {
      step.run();
    } else {
      context.runOnContext(v -> step.run());
    }
  }
}
