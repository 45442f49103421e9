package dev.stint.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OIDC provider for tests (mock-oauth2-server on 127.0.0.1, port 0) with one issuer whose
 * tokens carry an email and groups, as a company IdP's would.
 *
 * <p>It signs ES256, which stint accepts by default as it does RS256. An RSA signature is several
 * times the work of an EC one, and far more under the quick compiler the test JVMs run with: the
 * suite signs thousands of tokens. RS256 stays covered where the signature is what is tested
 * (identity's verifier tests, with their own key server) and in the integration tier ({@code
 * MockOAuth2IdentityIT}, {@code TokenVerificationIT}).
 */
public final class TestIdp implements AutoCloseable {
  public static final String AUDIENCE = "stint";
  private static final String ALGORITHM = "ES256";

  /** The provider's own P-256 keys, as its RSA ones are: none is generated per test. */
  private static final String EC_KEYS_FILE = "/mock-oauth2-server-keys-ec.json";

  private final MockOAuth2Server server =
      new MockOAuth2Server(
          new OAuth2Config(
              false,
              null,
              null,
              false,
              new OAuth2TokenProvider(
                  new KeyProvider(KeyProvider.Companion.keysFromFile(EC_KEYS_FILE), ALGORITHM))));
  private final String issuerId;

  public TestIdp(String issuerId) {
    this.issuerId = issuerId;
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The issuer URL tokens carry in {@code iss}. */
  public String issuer() {
    return server.issuerUrl(issuerId).toString().replaceAll("/$", "");
  }

  /** A token for {@code user}@example.com in {@code groups}, valid for an hour. */
  public String token(String user, String... groups) {
    return server
        .issueToken(
            issuerId,
            user,
            AUDIENCE,
            Map.of("email", user + "@example.com", "groups", List.of(groups)),
            3600)
        .serialize();
  }

  /**
   * As {@link #token(String, String...)}, valid for a day: for a server whose clock a test moves
   * hours ahead.
   */
  public String dayToken(String user, String... groups) {
    return server
        .issueToken(
            issuerId,
            user,
            AUDIENCE,
            Map.of("email", user + "@example.com", "groups", List.of(groups)),
            86_400)
        .serialize();
  }

  /** A token for {@code subject} with exactly these extra claims (a CI job's, say). */
  public String tokenWithClaims(String subject, Map<String, Object> claims) {
    return server.issueToken(issuerId, subject, AUDIENCE, claims, 600).serialize();
  }

  /**
   * The next authorization-code sign-in (any client) yields an ID token for {@code user} with this
   * audience, email and groups (the provider adds the sign-in's nonce itself).
   */
  public void nextLogin(String user, String audience, String... groups) {
    server.enqueueCallback(
        new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback(
            issuerId,
            user,
            "JWT",
            List.of(audience),
            Map.of("email", user + "@example.com", "groups", List.of(groups)),
            3600));
  }

  /** As {@link #nextLogin(String, String, String...)}, with these claims besides (auth_time). */
  public void nextLogin(String user, String audience, Map<String, Object> extra, String... groups) {
    Map<String, Object> claims = new HashMap<>(extra);
    claims.put("email", user + "@example.com");
    claims.put("groups", List.of(groups));
    server.enqueueCallback(
        new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback(
            issuerId, user, "JWT", List.of(audience), claims, 3600));
  }

  /** A token for {@code subject} addressed to {@code audience}, with these claims. */
  public String tokenFor(String audience, String subject, Map<String, Object> claims) {
    return server.issueToken(issuerId, subject, audience, claims, 600).serialize();
  }

  /** The form bodies of the token requests the provider received so far (drains its record). */
  public List<String> tokenRequestBodies() {
    List<String> out = new ArrayList<>();
    while (true) {
      okhttp3.mockwebserver.RecordedRequest r;
      try {
        r = server.takeRequest(200, TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        return out; // the provider throws once its record is empty
      }
      if (r == null) {
        return out;
      }
      if (r.getPath() != null && r.getPath().endsWith("/token")) {
        out.add(r.getUtf8Body());
      }
    }
  }

  /** The policy's {@code issuers:} entry for this provider, named {@code name}. */
  public String issuerYaml(String name) {
    return "  "
        + name
        + ": {issuer: \""
        + issuer()
        + "\", audience: "
        + AUDIENCE
        + ", groups_claim: groups}\n";
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
