package dev.stint.demo;

import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stint.standin.LoopbackOnly;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A development CI issuer for {@code stint demo} — NOT for production: it mints a GitHub Actions or
 * GitLab CI job's OIDC token ({@link CiJobClaims}) for whatever job the caller describes, so
 * whoever reaches it can be any job. That is why it binds to 127.0.0.1 only, answers its minting
 * pages only as {@link LoopbackOnly} allows, and keeps its keys only in memory. It is a trust apart
 * from the development IdP for people, and apart within itself: GitHub's tokens come from {@code
 * /github}, GitLab's from {@code /gitlab}, each an issuer with its own discovery and its own key,
 * as the two platforms are.
 *
 * <ul>
 *   <li>{@code GET /dev/github-token?repository=OWNER/REPO&ref=…&aud=…} and {@code GET
 *       /dev/gitlab-token?project_path=GROUP/PROJECT&ref=…&aud=…}: a token as plain text.
 *   <li>What a GitHub job's steps see: {@code GET /dev/actions-id-token?repository=…&audience=…}
 *       with {@code Authorization: Bearer} the request token answers {@code {"value": JWT}}, as
 *       {@code $ACTIONS_ID_TOKEN_REQUEST_URL} does with {@code $ACTIONS_ID_TOKEN_REQUEST_TOKEN};
 *       401 without it. {@code GET /dev/actions-request-token} gives this run's request token.
 * </ul>
 */
public final class DevCiIssuer implements AutoCloseable {
  /** The path of the issuer of GitHub-shaped tokens, below the server's URL. */
  public static final String GITHUB = "/github";

  /** The path of the issuer of GitLab-shaped tokens. */
  public static final String GITLAB = "/gitlab";

  private final HttpServer server;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "dev-ci-issuer");
            t.setDaemon(true);
            return t;
          });
  private final Clock clock;
  private final DevTokens githubKey;
  private final DevTokens gitlabKey;
  private final byte[] requestTokenHash;
  private final String requestToken;

  /** Starts on 127.0.0.1, port 0, with two keys and a request token made for this run. */
  public DevCiIssuer(Clock clock) {
    this(clock, 0);
  }

  /** As above, on {@code port}: a kept demo's CI issuers keep their URLs. */
  DevCiIssuer(Clock clock, int port) {
    this.clock = clock;
    this.githubKey = new DevTokens(clock);
    this.gitlabKey = new DevTokens(clock);
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    this.requestToken = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    this.requestTokenHash = sha256(requestToken);
    server = LoopbackHttp.start("development CI issuer", this::handle, pool, port);
  }

  /** {@code http://127.0.0.1:PORT}, where the development pages are. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The issuer of GitHub-shaped tokens, exactly as their {@code iss}. */
  public URI githubIssuer() {
    return URI.create(uri() + GITHUB);
  }

  /** The issuer of GitLab-shaped tokens, exactly as their {@code iss}. */
  public URI gitlabIssuer() {
    return URI.create(uri() + GITLAB);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        DevReply.text(405, "only GET here").send(exchange);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      Map<String, String> params;
      try {
        params = new LinkedHashMap<>(HttpForms.parse(exchange.getRequestURI().getRawQuery()));
      } catch (IllegalArgumentException e) {
        // An answer, not a dropped connection, whichever escape the server's own parse let by.
        DevReply.text(400, "the query does not decode").send(exchange);
        return;
      }
      (path.startsWith("/dev/") ? development(exchange, path, params) : published(path))
          .send(exchange);
    }
  }

  /** What any OIDC client of the issuers may fetch: discovery and keys. */
  private DevReply published(String path) {
    return switch (path) {
      case GITHUB + "/.well-known/openid-configuration" ->
          DevReply.json(200, discovery(githubIssuer(), "/.well-known/jwks"));
      case GITHUB + "/.well-known/jwks" ->
          new DevReply(200, "application/json", githubKey.jwks(), null);
      case GITLAB + "/.well-known/openid-configuration" ->
          DevReply.json(200, discovery(gitlabIssuer(), "/oauth/discovery/keys"));
      case GITLAB + "/oauth/discovery/keys" ->
          new DevReply(200, "application/json", gitlabKey.jwks(), null);
      default -> DevReply.text(404, "not found");
    };
  }

  /** The pages that mint: for this machine's own callers only. */
  private DevReply development(HttpExchange exchange, String path, Map<String, String> params) {
    Optional<LoopbackOnly.Refused> refused =
        LoopbackOnly.refusal(
            server.getAddress().getPort(),
            exchange.getRequestHeaders().getFirst("Host"),
            exchange.getRequestHeaders().getFirst("Origin"));
    if (refused.isPresent()) {
      return DevReply.text(refused.get().status(), refused.get().message());
    }
    return switch (path) {
      case "/dev/github-token" ->
          plain(mint(params, githubIssuer(), CiJobClaims::github, githubKey));
      case "/dev/gitlab-token" ->
          plain(mint(params, gitlabIssuer(), CiJobClaims::gitlab, gitlabKey));
      case "/dev/actions-request-token" -> DevReply.text(200, requestToken);
      case "/dev/actions-id-token" -> actionsIdToken(exchange, params);
      default -> DevReply.text(404, "not found");
    };
  }

  /**
   * GitHub's ID token endpoint as a job's steps call it: the request token as bearer, the audience
   * as {@code audience} (GitHub's default without it), the token in {@code value}.
   */
  private DevReply actionsIdToken(HttpExchange exchange, Map<String, String> params) {
    if (!bearerIsRequestToken(exchange.getRequestHeaders().getFirst("Authorization"))) {
      return DevReply.json(401, Map.of("message", "Bad credentials"));
    }
    Map<String, String> job = new LinkedHashMap<>(params);
    String audience = job.remove("audience");
    if (job.containsKey("aud")) {
      return DevReply.json(400, Map.of("message", "the audience is asked for as audience="));
    }
    if (audience != null) {
      job.put("aud", audience);
    }
    Minted minted = mint(job, githubIssuer(), CiJobClaims::github, githubKey);
    return minted
        .token()
        .map(t -> DevReply.json(200, Map.of("value", t)))
        .orElseGet(() -> DevReply.json(400, Map.of("message", minted.problem())));
  }

  /** Compared as hashes, in constant time: the request token is the one credential here. */
  private boolean bearerIsRequestToken(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(requestTokenHash, sha256(authorization.substring(7).strip()));
  }

  /** A token, or why the job described cannot have one. */
  private record Minted(Optional<String> token, String problem) {}

  private Minted mint(Map<String, String> params, URI issuer, ClaimsOf shape, DevTokens key) {
    try {
      return new Minted(Optional.of(key.sign(shape.apply(issuer, params, clock.instant()))), "");
    } catch (IllegalArgumentException e) {
      return new Minted(Optional.empty(), e.getMessage());
    }
  }

  private static DevReply plain(Minted minted) {
    return minted
        .token()
        .map(t -> DevReply.text(200, t))
        .orElseGet(() -> DevReply.text(400, minted.problem()));
  }

  /** One of {@link CiJobClaims}' shapes. */
  @FunctionalInterface
  private interface ClaimsOf {
    JWTClaimsSet apply(URI issuer, Map<String, String> params, Instant now);
  }

  private static Map<String, Object> discovery(URI issuer, String jwksPath) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", issuer.toString());
    doc.put("jwks_uri", issuer + jwksPath);
    doc.put("response_types_supported", List.of("id_token"));
    doc.put("subject_types_supported", List.of("public"));
    doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
    doc.put("scopes_supported", List.of("openid"));
    return doc;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
