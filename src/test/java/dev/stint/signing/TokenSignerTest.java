package dev.stint.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.testing.RsaKeys;
import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TokenSignerTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:15:30.750Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final URI PUBLIC_URL = URI.create("https://stint.example.test/");

  static SigningKeys keys(KeyType type) throws Exception {
    return SigningKeys.of(List.of(key(type, "test.pem")));
  }

  /**
   * A key of {@code type} read as a key file is: RSA from the test pool (generating one costs far
   * more than signing with it), EC generated.
   */
  static SigningKey key(KeyType type, String file) throws Exception {
    PrivateKey key =
        type == KeyType.RSA ? RsaKeys.next().getPrivate() : type.generate(0).getPrivate();
    return SigningKeyFiles.toSigningKey(
        PemKeys.parsePrivate(PemKeys.toPkcs8Pem(key)), Path.of(file));
  }

  static JWSVerifier verifier(SigningKey key) throws Exception {
    return key.publicJwk() instanceof RSAKey rsa
        ? new RSASSAVerifier(rsa)
        : new ECDSAVerifier((ECKey) key.publicJwk());
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void signsEveryStandardClaimWithTheActiveKey(KeyType type) throws Exception {
    SigningKeys keys = keys(type);
    TokenSigner signer = new TokenSigner(PUBLIC_URL, keys, CLOCK);

    SignedJWT jwt =
        SignedJWT.parse(signer.sign(FederationToken.of("profile:aws-prod", "sts.amazonaws.com")));

    assertThat(jwt.verify(verifier(keys.active()))).isTrue();
    assertThat(jwt.getHeader().getAlgorithm())
        .isEqualTo(type == KeyType.RSA ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.active().kid());
    assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("https://stint.example.test");
    assertThat(claims.getSubject()).isEqualTo("profile:aws-prod");
    Date second = Date.from(Instant.parse("2026-11-23T10:15:30Z"));
    assertThat(claims.getIssueTime()).isEqualTo(second);
    assertThat(claims.getNotBeforeTime()).isEqualTo(second);
    assertThat(claims.getExpirationTime())
        .isEqualTo(Date.from(second.toInstant().plusSeconds(300)));
    assertThat(claims.getJWTID()).isNotBlank();
    // A single audience is a plain string, as AWS STS requires.
    assertThat(claims.toJSONObject().get("aud")).isEqualTo("sts.amazonaws.com");
  }

  @Test
  void severalAudiencesExtraClaimsAndLifetime() throws Exception {
    SigningKeys keys = keys(KeyType.RSA);
    TokenSigner signer = new TokenSigner(PUBLIC_URL, keys, CLOCK);
    Map<String, Object> tags =
        Map.of(
            "principal_tags",
            Map.of("grant_id", List.of("g-1")),
            "transitive_tag_keys",
            List.of("grant_id"));
    FederationToken token =
        new FederationToken(
            "profile:gcp",
            List.of("a", "b"),
            Duration.ofHours(1),
            Map.of(
                "grant_id",
                "g-1",
                "stint_principal",
                "alice@example.com",
                "https://aws.amazon.com/source_identity",
                "alice",
                "https://aws.amazon.com/tags",
                tags));

    var claims = SignedJWT.parse(signer.sign(token)).getJWTClaimsSet();

    assertThat(claims.getAudience()).containsExactly("a", "b");
    assertThat(claims.getExpirationTime().toInstant())
        .isEqualTo(Instant.parse("2026-11-23T11:15:30Z"));
    assertThat(claims.getStringClaim("grant_id")).isEqualTo("g-1");
    assertThat(claims.getStringClaim("stint_principal")).isEqualTo("alice@example.com");
    assertThat(claims.getStringClaim("https://aws.amazon.com/source_identity")).isEqualTo("alice");
    assertThat(claims.getJSONObjectClaim("https://aws.amazon.com/tags"))
        .containsEntry("transitive_tag_keys", List.of("grant_id"))
        .containsEntry("principal_tags", Map.of("grant_id", List.of("g-1")));
  }

  @Test
  void everyTokenHasItsOwnJti() throws Exception {
    TokenSigner signer = new TokenSigner(PUBLIC_URL, keys(KeyType.EC), CLOCK);
    FederationToken token = FederationToken.of("s", "a");
    assertThat(SignedJWT.parse(signer.sign(token)).getJWTClaimsSet().getJWTID())
        .isNotEqualTo(SignedJWT.parse(signer.sign(token)).getJWTClaimsSet().getJWTID());
  }

  @Test
  void theFirstKeySignsAndSwappingTheOrderSwitchesIt() throws Exception {
    SigningKey a = key(KeyType.RSA, "a.pem");
    SigningKey b = key(KeyType.EC, "b.pem");
    SigningKeys ab = SigningKeys.of(List.of(a, b));
    SigningKeys ba = SigningKeys.of(List.of(b, a));

    assertThat(
            SignedJWT.parse(
                    new TokenSigner(PUBLIC_URL, ab, CLOCK).sign(FederationToken.of("s", "x")))
                .getHeader()
                .getKeyID())
        .isEqualTo(a.kid());
    assertThat(
            SignedJWT.parse(
                    new TokenSigner(PUBLIC_URL, ba, CLOCK).sign(FederationToken.of("s", "x")))
                .getHeader()
                .getKeyID())
        .isEqualTo(b.kid());
    assertThat(ab.publicJwkSet().getKeys())
        .extracting(k -> k.getKeyID())
        .containsExactly(a.kid(), b.kid());
    assertThat(ba.publicJwkSet().getKeys())
        .extracting(k -> k.getKeyID())
        .containsExactly(b.kid(), a.kid());
    assertThat(ab.publicJwkSet().getKeys()).noneMatch(k -> k.isPrivate());
  }

  static Stream<Arguments> badTokens() {
    return Stream.of(
        Arguments.of(
            "blank subject", (Runnable) () -> FederationToken.of(" ", "a"), "needs a subject"),
        Arguments.of(
            "no audience",
            (Runnable) () -> new FederationToken("s", List.of(), Duration.ofMinutes(1), Map.of()),
            "at least one"),
        Arguments.of(
            "zero lifetime",
            (Runnable) () -> FederationToken.of("s", "a").withLifetime(Duration.ZERO),
            "more than 0 s and at most 1h"),
        Arguments.of(
            "negative lifetime",
            (Runnable) () -> FederationToken.of("s", "a").withLifetime(Duration.ofSeconds(-1)),
            "at most 1h"),
        Arguments.of(
            "over an hour",
            (Runnable) () -> FederationToken.of("s", "a").withLifetime(Duration.ofSeconds(3601)),
            "at most 1h"),
        Arguments.of(
            "caller sets exp",
            (Runnable) () -> FederationToken.of("s", "a").withClaims(Map.of("exp", 1)),
            "claim exp is set by the signer"),
        Arguments.of(
            "caller sets iss",
            (Runnable) () -> FederationToken.of("s", "a").withClaims(Map.of("iss", "x")),
            "claim iss is set by the signer"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTokens")
  void badTokensAreRefusedBeforeSigning(String name, Runnable build, String reason) {
    assertThatThrownBy(build::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void anHourIsAllowed() {
    assertThat(FederationToken.of("s", "a").withLifetime(Duration.ofHours(1)).lifetime())
        .isEqualTo(Duration.ofHours(1));
  }
}
