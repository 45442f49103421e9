package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.stint.config.DatabaseUrl;
import dev.stint.signing.FederationToken;
import dev.stint.signing.GeneratedKey;
import dev.stint.signing.KeyType;
import dev.stint.signing.PrivateKeyFile;
import dev.stint.signing.SigningKeys;
import dev.stint.signing.TokenSigner;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stint's issuer end to end: tokens it signs verify against the JWKS a running server serves. */
class IssuerRoutesIT {
  static final String PUBLIC_URL = "https://stint.example.test";
  static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

  @TempDir static Path dir;
  static DatabaseUrl database;
  static Path rsaKey;
  static Path ecKey;

  @BeforeAll
  static void keys() throws Exception {
    database = TestPostgres.migratedDatabase();
    rsaKey = dir.resolve("rsa.pem");
    ecKey = dir.resolve("ec.pem");
    PrivateKeyFile.write(rsaKey, GeneratedKey.generate(KeyType.RSA, 2048, rsaKey).pem(), false);
    PrivateKeyFile.write(ecKey, GeneratedKey.generate(KeyType.EC, 0, ecKey).pem(), false);
  }

  static TestServer serverWith(Path... keys) {
    return TestServer.start(
        database,
        Map.of(
            "STINT_PUBLIC_URL",
            PUBLIC_URL + "/",
            "STINT_SIGNING_KEYS",
            String.join(",", List.of(keys).stream().map(Path::toString).toList())));
  }

  /** What a cloud does: fetch the JWKS over HTTP, then verify signature, issuer and audience. */
  static JWTClaimsSet verify(TestServer server, String token) throws Exception {
    JWKSource<SecurityContext> jwks =
        new ImmutableJWKSet<>(
            JWKSet.load(server.uri(IssuerRoutes.JWKS).toURL(), 5_000, 5_000, 64 * 1024));
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), jwks));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            Set.of("sts.amazonaws.com"),
            new JWTClaimsSet.Builder().issuer(PUBLIC_URL).build(),
            Set.of("sub", "iat", "nbf", "exp", "jti"),
            Set.of()));
    return processor.process(token, null);
  }

  static String sign(Path... keys) throws Exception {
    TokenSigner signer =
        new TokenSigner(URI.create(PUBLIC_URL), SigningKeys.load(List.of(keys)), Clock.systemUTC());
    return signer.sign(
        FederationToken.of("profile:aws-prod", "sts.amazonaws.com")
            .withClaims(Map.of("grant_id", "g-42")));
  }

  @Test
  void discoveryDocumentIsWhatCloudsExpect() throws Exception {
    try (TestServer server = serverWith(rsaKey, ecKey)) {
      HttpResponse<String> r = server.get(IssuerRoutes.DISCOVERY);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(r.headers().firstValue("Cache-Control")).contains("public, max-age=300");
      JsonObject doc = new JsonObject(r.body());
      assertThat(doc.getString("issuer")).isEqualTo(PUBLIC_URL);
      assertThat(doc.getString("jwks_uri")).isEqualTo(PUBLIC_URL + "/.well-known/jwks.json");
      assertThat(doc.getJsonArray("response_types_supported")).containsExactly("id_token");
      assertThat(doc.getJsonArray("subject_types_supported")).containsExactly("public");
      assertThat(doc.getJsonArray("id_token_signing_alg_values_supported"))
          .containsExactly("RS256", "ES256");
      assertThat(doc.getJsonArray("claims_supported")).contains("sub", "aud", "exp", "iss");
    }
  }

  @Test
  void jwksPublishesEveryKeyAndNoPrivateMember() throws Exception {
    try (TestServer server = serverWith(rsaKey, ecKey)) {
      HttpResponse<String> r = server.get(IssuerRoutes.JWKS);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Cache-Control")).contains("public, max-age=300");
      JsonArray keys = new JsonObject(r.body()).getJsonArray("keys");
      assertThat(keys).hasSize(2);
      List<String> kids =
          SigningKeys.load(List.of(rsaKey, ecKey)).all().stream().map(k -> k.kid()).toList();
      for (int i = 0; i < keys.size(); i++) {
        JsonObject key = keys.getJsonObject(i);
        assertThat(key.fieldNames()).doesNotContainAnyElementsOf(PRIVATE_MEMBERS);
        assertThat(key.getString("kid")).isEqualTo(kids.get(i));
        assertThat(key.getString("use")).isEqualTo("sig");
      }
      assertThat(keys.getJsonObject(0).getString("alg")).isEqualTo("RS256");
      assertThat(keys.getJsonObject(1).getString("alg")).isEqualTo("ES256");
    }
  }

  @Test
  void signedTokensVerifyWithThePublishedJwksInEitherKeyOrder() throws Exception {
    String byRsa = sign(rsaKey, ecKey);
    String byEc = sign(ecKey, rsaKey);
    try (TestServer first = serverWith(rsaKey, ecKey)) {
      assertThat(verify(first, byRsa).getStringClaim("grant_id")).isEqualTo("g-42");
      // The second key is published before it signs: its tokens already verify.
      assertThat(verify(first, byEc).getSubject()).isEqualTo("profile:aws-prod");
    }
    try (TestServer swapped = serverWith(ecKey, rsaKey)) {
      assertThat(verify(swapped, byEc).getSubject()).isEqualTo("profile:aws-prod");
      // The old key is still published, so tokens it signed before the swap stay valid.
      assertThat(verify(swapped, byRsa).getSubject()).isEqualTo("profile:aws-prod");
    }
  }

  @Test
  void aRetiredKeysTokensNoLongerVerify() throws Exception {
    String byEc = sign(ecKey);
    try (TestServer server = serverWith(rsaKey)) {
      assertThatThrownBy(() -> verify(server, byEc)).isInstanceOf(BadJOSEException.class);
    }
  }

  @Test
  void aBadKeyStopsTheServerNamingTheFile() throws Exception {
    Path publicOnly = dir.resolve("public.json");
    Files.writeString(
        publicOnly, SigningKeys.load(List.of(rsaKey)).active().publicJwk().toJSONString());
    assertThatThrownBy(() -> serverWith(rsaKey, publicOnly))
        .hasMessage(
            "signing_keys: signing key "
                + publicOnly
                + ": holds only a public key; the private key is needed");
  }
}
