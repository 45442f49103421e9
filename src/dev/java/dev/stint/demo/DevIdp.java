package dev.stint.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stint.standin.LoopbackOnly;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A development OpenID Connect provider for {@code stint demo} — NOT for production. It signs in
 * the fixed {@link DevUser}s without any password: whoever can reach it can be anyone. That is why
 * it binds to 127.0.0.1 only, its key lives only in memory, and nothing but the demo command starts
 * it (no configuration key of {@code stint serve} can; see DemoIsolationTest).
 *
 * <p>It serves discovery, JWKS, {@code /authorize} (a page to pick a user; authorization code flow
 * with mandatory PKCE S256, state passed through, nonce put into the ID token), {@code /token}
 * ({@code authorization_code}) and {@code /dev/token?user=NAME}, an ID token for the CLI client as
 * plain text, for scripts that cannot open a browser.
 */
public final class DevIdp implements AutoCloseable {
  public static final String PAGE_TITLE = "Development sign-in — not for production";

  private static final int MAX_FORM = 64 * 1024;

  static {
    // The JDK server writes headers and body in separate packets; without TCP_NODELAY each
    // answer then waits out the client's delayed ACK. Read once per JVM, before the
    // first server is created.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "dev-idp");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, DevClient> clients = new LinkedHashMap<>();
  private final DevClient cliClient;
  private final String apiAudience;
  private final DevTokens tokens;
  private final AuthorizationCodes codes;

  /**
   * Starts on 127.0.0.1, port 0. {@code apiAudience} is the audience stint's issuer config expects;
   * every ID token names it besides the client.
   */
  public DevIdp(DevClient web, DevClient cli, String apiAudience, Clock clock) {
    this(web, cli, apiAudience, clock, 0);
  }

  /**
   * As above, on {@code port}: a kept demo's IdP keeps its URL, the issuer of every person it
   * signed in, so that they are the same people at the next run.
   */
  DevIdp(DevClient web, DevClient cli, String apiAudience, Clock clock, int port) {
    this.clients.put(web.id(), web);
    this.clients.put(cli.id(), cli);
    this.cliClient = cli;
    this.apiAudience = apiAudience;
    this.tokens = new DevTokens(clock);
    this.codes = new AuthorizationCodes(clock);
    server = LoopbackHttp.start("development IdP", this::handle, pool, port);
  }

  /** The issuer URL, {@code http://127.0.0.1:PORT}, exactly as the tokens' {@code iss}. */
  public URI issuer() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** An ID token for the CLI client, as {@code /dev/token} answers; empty for an unknown user. */
  public Optional<String> cliToken(String login) {
    return DevUser.named(login)
        .map(u -> tokens.idToken(issuer(), u, cliClient.id(), apiAudience, Optional.empty()));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      Map<String, String> params =
          new LinkedHashMap<>(HttpForms.parse(exchange.getRequestURI().getRawQuery()));
      if ("POST".equals(method)) {
        try (InputStream in = exchange.getRequestBody()) {
          // Sign-in forms are small; a bigger body is cut off rather than held in memory.
          params.putAll(
              HttpForms.parse(new String(in.readNBytes(MAX_FORM), StandardCharsets.UTF_8)));
        }
      }
      DevReply reply =
          switch (method + " " + path) {
            case "GET /.well-known/openid-configuration" -> DevReply.json(200, discovery());
            case "GET /jwks" -> new DevReply(200, "application/json", tokens.jwks(), null);
            case "GET /authorize" -> authorize(params, Optional.empty());
            case "POST /authorize" ->
                authorize(params, Optional.of(params.getOrDefault("user", "")));
            case "POST /token" -> token(params);
            case "GET /dev/token" -> devToken(exchange, params.getOrDefault("user", ""));
            default -> DevReply.text(404, "not found");
          };
      reply.send(exchange);
    }
  }

  /**
   * Anyone's ID token, for scripts: for this machine's own callers only, never a page of another
   * site or a name rebound to 127.0.0.1 ({@link LoopbackOnly}).
   */
  private DevReply devToken(HttpExchange exchange, String user) {
    Optional<LoopbackOnly.Refused> refused =
        LoopbackOnly.refusal(
            server.getAddress().getPort(),
            exchange.getRequestHeaders().getFirst("Host"),
            exchange.getRequestHeaders().getFirst("Origin"));
    if (refused.isPresent()) {
      return DevReply.text(refused.get().status(), refused.get().message());
    }
    return cliToken(user)
        .map(t -> new DevReply(200, "text/plain; charset=utf-8", t + "\n", null))
        .orElseGet(() -> DevReply.text(404, "unknown user; pick one of " + logins()));
  }

  private Map<String, Object> discovery() {
    String base = issuer().toString();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", base);
    doc.put("authorization_endpoint", base + "/authorize");
    doc.put("token_endpoint", base + "/token");
    doc.put("jwks_uri", base + "/jwks");
    doc.put("response_types_supported", List.of("code"));
    doc.put("grant_types_supported", List.of("authorization_code"));
    doc.put("subject_types_supported", List.of("public"));
    doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
    doc.put("code_challenge_methods_supported", List.of("S256"));
    doc.put("scopes_supported", List.of("openid", "profile", "email", "groups"));
    doc.put("token_endpoint_auth_methods_supported", List.of("none"));
    doc.put("claims_supported", List.of("sub", "email", "name", "groups", "nonce"));
    return doc;
  }

  /**
   * GET shows the user picker; POST (the picker's buttons) issues a code. Client and redirect URI
   * are checked before anything is sent to the redirect URI (RFC 6749 §4.1.2.1): a bad one gets an
   * error page, never a redirect.
   */
  private DevReply authorize(Map<String, String> p, Optional<String> chosen) {
    DevClient client = clients.get(p.getOrDefault("client_id", ""));
    if (client == null) {
      return DevReply.page(400, DevSignInPage.error("Unknown client_id."));
    }
    String redirect = p.getOrDefault("redirect_uri", "");
    if (!client.allows(redirect)) {
      return DevReply.page(
          400, DevSignInPage.error("redirect_uri is not registered for this client."));
    }
    Optional<String> problem = requestProblem(p);
    if (problem.isPresent()) {
      // Ordered so the redirect reads error=… first, as RFC 6749 §4.1.2.1 lists it.
      Map<String, String> error = new LinkedHashMap<>();
      error.put("error", problem.get());
      error.put("error_description", "this IdP needs response_type=code and PKCE S256");
      return DevReply.redirect(redirect, withState(error, p));
    }
    if (chosen.isEmpty()) {
      return DevReply.page(200, DevSignInPage.picker(p, DevUser.ALL));
    }
    Optional<DevUser> user = DevUser.named(chosen.get());
    if (user.isEmpty()) {
      return DevReply.page(400, DevSignInPage.error("Unknown user; pick one of " + logins() + "."));
    }
    String code =
        codes.issue(
            user.get(),
            client.id(),
            redirect,
            p.get("code_challenge"),
            Optional.ofNullable(p.get("nonce")).filter(n -> !n.isEmpty()));
    return DevReply.redirect(redirect, withState(Map.of("code", code), p));
  }

  /** Only the code flow, and only with a PKCE S256 challenge (43+ base64url characters). */
  private static Optional<String> requestProblem(Map<String, String> p) {
    if (!"code".equals(p.get("response_type"))) {
      return Optional.of("unsupported_response_type");
    }
    boolean pkce =
        p.getOrDefault("code_challenge", "").length() >= 43
            && "S256".equals(p.get("code_challenge_method"));
    return pkce ? Optional.empty() : Optional.of("invalid_request");
  }

  private static Map<String, String> withState(Map<String, String> fields, Map<String, String> p) {
    Map<String, String> out = new LinkedHashMap<>(fields);
    if (p.get("state") != null) {
      out.put("state", p.get("state"));
    }
    return out;
  }

  private DevReply token(Map<String, String> p) {
    if (!"authorization_code".equals(p.get("grant_type"))) {
      return oauthError("unsupported_grant_type", "only authorization_code");
    }
    AuthorizationCodes.CodeGrant grant;
    try {
      grant =
          codes.redeem(
              p.get("code"),
              p.getOrDefault("client_id", ""),
              p.getOrDefault("redirect_uri", ""),
              p.get("code_verifier"));
    } catch (AuthorizationCodes.Refused e) {
      return oauthError("invalid_grant", e.getMessage());
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("access_token", AuthorizationCodes.random());
    answer.put("token_type", "Bearer");
    answer.put("expires_in", DevTokens.LIFETIME.toSeconds());
    answer.put(
        "id_token",
        tokens.idToken(issuer(), grant.user(), grant.clientId(), apiAudience, grant.nonce()));
    return DevReply.json(200, answer);
  }

  private static DevReply oauthError(String error, String description) {
    return DevReply.json(400, Map.of("error", error, "error_description", description));
  }

  private static String logins() {
    return DevUser.ALL.stream().map(DevUser::login).toList().toString();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
