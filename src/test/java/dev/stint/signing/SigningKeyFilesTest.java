package dev.stint.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SigningKeyFilesTest {
  static final KeyPair RSA_2048 = TestKeys.rsa(2048);
  static final KeyPair P256 = TestKeys.ec("secp256r1");

  /** The private Ed25519 key of RFC 8037, appendix A.1. */
  static final String ED25519_RFC8037 =
      "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
          + "\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\","
          + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";

  @TempDir Path dir;

  static Stream<Arguments> usableKeys() {
    return Stream.of(
        Arguments.of("PKCS#8 RSA", (Function<KeyPair, String>) TestKeys::pkcs8, RSA_2048, "RS256"),
        Arguments.of(
            "PKCS#1 RSA", (Function<KeyPair, String>) TestKeys::traditional, RSA_2048, "RS256"),
        Arguments.of("PKCS#8 EC", (Function<KeyPair, String>) TestKeys::pkcs8, P256, "ES256"),
        Arguments.of("SEC1 EC", (Function<KeyPair, String>) TestKeys::traditional, P256, "ES256"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usableKeys")
  void pemKeysLoadWithThumbprintKidAndTheRightPublicHalf(
      String form, Function<KeyPair, String> writer, KeyPair pair, String alg) throws Exception {
    SigningKey key = SigningKeyFiles.read(TestKeys.write(dir, "k.pem", writer.apply(pair)));

    assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.parse(alg));
    assertThat(key.kid()).isEqualTo(key.publicJwk().computeThumbprint().toString());
    assertThat(key.privateJwk().getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
    if (pair.getPublic() instanceof RSAPublicKey rsa) {
      assertThat(((RSAKey) key.publicJwk()).toRSAPublicKey().getModulus())
          .isEqualTo(rsa.getModulus());
    } else {
      // The public point is derived from d: it must be the generator's own.
      assertThat(((ECKey) key.publicJwk()).toECPublicKey().getW())
          .isEqualTo(((ECPublicKey) pair.getPublic()).getW());
    }
  }

  @Test
  void ecParametersBlockBeforeTheKeyIsAccepted() throws Exception {
    String pem =
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
            + TestKeys.traditional(P256);
    assertThat(SigningKeyFiles.read(TestKeys.write(dir, "k.pem", pem)).algorithm())
        .isEqualTo(JWSAlgorithm.ES256);
  }

  @Test
  void jwkKeepsItsOwnKid() throws Exception {
    String json =
        new RSAKey.Builder((RSAPublicKey) RSA_2048.getPublic())
            .privateKey(RSA_2048.getPrivate())
            .keyID("2026-11-key")
            .build()
            .toJSONString();
    SigningKey key = SigningKeyFiles.read(TestKeys.write(dir, "k.json", json));
    assertThat(key.kid()).isEqualTo("2026-11-key");
    assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.RS256);
  }

  @Test
  void jwkWithoutKidGetsItsThumbprint() throws Exception {
    ECKey ec =
        new ECKey.Builder(Curve.P_256, (ECPublicKey) P256.getPublic())
            .privateKey((ECPrivateKey) P256.getPrivate())
            .build();
    SigningKey key = SigningKeyFiles.read(TestKeys.write(dir, "k.json", ec.toJSONString()));
    assertThat(key.kid()).isEqualTo(ec.computeThumbprint().toString());
    assertThat(key.toString()).doesNotContain("\"d\"").contains(key.kid());
  }

  static Stream<Arguments> refusedKeys() throws Exception {
    KeyPair p384 = TestKeys.ec("secp384r1");
    RSAKey rsaJwk =
        new RSAKey.Builder((RSAPublicKey) RSA_2048.getPublic())
            .privateKey(RSA_2048.getPrivate())
            .build();
    return Stream.of(
        Arguments.of("public-only PEM", TestKeys.publicOnly(RSA_2048), "holds only a public key"),
        Arguments.of(
            "public-only JWK", rsaJwk.toPublicJWK().toJSONString(), "holds only a public key"),
        Arguments.of(
            "RSA 1024", TestKeys.pkcs8(TestKeys.rsa(1024)), "RSA key of 1024 bits is too short"),
        Arguments.of("P-384 PEM", TestKeys.pkcs8(p384), "unsupported curve P-384"),
        Arguments.of(
            "P-384 JWK",
            new ECKey.Builder(Curve.P_384, (ECPublicKey) p384.getPublic())
                .privateKey((ECPrivateKey) p384.getPrivate())
                .build()
                .toJSONString(),
            "unsupported curve P-384"),
        Arguments.of("Ed25519 JWK", ED25519_RFC8037, "unsupported key type OKP"),
        Arguments.of(
            "symmetric JWK",
            new OctetSequenceKeyGenerator(256).generate().toJSONString(),
            "unsupported key type oct"),
        Arguments.of(
            "alg mismatch",
            new RSAKey.Builder(rsaJwk).algorithm(JWSAlgorithm.PS256).build().toJSONString(),
            "declares alg PS256"),
        Arguments.of(
            "encryption key",
            new RSAKey.Builder(rsaJwk).keyUse(KeyUse.ENCRYPTION).build().toJSONString(),
            "declares use enc"),
        Arguments.of("broken JSON", "{\"kty\": ", "is not a valid JWK"),
        Arguments.of("not a key", "hello\n", "holds no PEM key"),
        Arguments.of("empty", "", "holds no PEM key"),
        Arguments.of("encrypted PKCS#8", TestKeys.encrypted(RSA_2048), "is encrypted"),
        Arguments.of(
            "certificate-less public EC", TestKeys.publicOnly(P256), "holds only a public key"),
        Arguments.of(
            "two keys",
            TestKeys.pkcs8(RSA_2048) + TestKeys.pkcs8(RSA_2048),
            "holds 2 PEM objects"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedKeys")
  void unusableKeysAreRefusedNamingTheFile(String name, String content, String reason) {
    Path file = TestKeys.write(dir, "bad.key", content);
    assertThatThrownBy(() -> SigningKeyFiles.read(file))
        .isInstanceOf(InvalidSigningKeyException.class)
        .hasMessageStartingWith("signing key " + file + ": ")
        .hasMessageContaining(reason)
        .hasMessageNotContaining("PRIVATE KEY");
  }

  @Test
  void missingFileIsRefusedNamingIt() {
    Path missing = dir.resolve("nope.pem");
    assertThatThrownBy(() -> SigningKeyFiles.read(missing))
        .hasMessage(
            "signing key " + missing + ": cannot be read (NoSuchFileException: " + missing + ")");
  }

  @Test
  void unreadableFileIsRefused() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("a-directory"));
    assertThatThrownBy(() -> SigningKeyFiles.read(directory))
        .hasMessageStartingWith("signing key " + directory + ": cannot be read");
  }

  @Test
  void duplicateKidIsRefusedNamingBothFiles() throws Exception {
    Path a = TestKeys.write(dir, "a.pem", TestKeys.pkcs8(RSA_2048));
    Path b = TestKeys.write(dir, "b.pem", TestKeys.traditional(RSA_2048));
    assertThatThrownBy(() -> SigningKeys.load(List.of(a, b)))
        .isInstanceOf(InvalidSigningKeyException.class)
        .hasMessageStartingWith("signing key " + b + ": has the same kid ")
        .hasMessageContaining(" as " + a);
  }
}
