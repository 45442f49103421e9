package dev.stint.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.stint.testing.RsaKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoints' own keys: generated or configured, and never a federation key. */
class CheckpointKeyringTest {
  @TempDir Path dir;

  /** Taken from the test keys: generating one is a prime search, tested where it is the point. */
  private SigningKeys federation() {
    return RsaKeys.developmentKeyIn(dir.resolve("federation"));
  }

  /** A checkpoint key already in the data directory, as a server's first start leaves it. */
  private void checkpointKeyInDataDirectory() {
    RsaKeys.writeKeyFile(dir.resolve(CheckpointKeyring.FILE_NAME));
  }

  @Test
  void withoutConfiguredKeysOneIsGeneratedOnceIntoTheDataDirectory() throws Exception {
    SigningKeys federation = federation();
    CheckpointKeyring first =
        CheckpointKeyring.load(List.of(), Optional.empty(), Optional.of(dir), federation);
    CheckpointKeyring again =
        CheckpointKeyring.load(List.of(), Optional.empty(), Optional.of(dir), federation);

    Path file = dir.resolve(CheckpointKeyring.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(again.active().kid())
        .isEqualTo(first.active().kid())
        .isNotEqualTo(federation.active().kid());
    assertThat(first.published().getKeys())
        .extracting(JWK::getKeyID)
        .containsExactly(first.active().kid());
    assertThat(first.published().getKeys()).noneMatch(JWK::isPrivate);
  }

  /** Compared by key material: a JWK file giving the federation key another kid is no escape. */
  @Test
  void aFederationKeyUnderAnotherKidIsRefused() throws Exception {
    SigningKeys federation = federation();
    RSAKey renamed =
        new RSAKey.Builder((RSAKey) federation.active().privateJwk())
            .keyID("a-checkpoint-key")
            .build();
    Path file = Files.writeString(dir.resolve("renamed.jwk"), renamed.toJSONString());

    assertThatThrownBy(
            () ->
                CheckpointKeyring.load(
                    List.of(file), Optional.empty(), Optional.of(dir), federation))
        .isInstanceOf(InvalidSigningKeyException.class)
        .hasMessage(
            "signing key "
                + file
                + ": also signs federation tokens (signing_keys);"
                + " audit checkpoints need a key of their own");
  }

  @Test
  void legacyKeysVerifyBesideTheCheckpointKeyAndArePublishedWithoutPrivateParts() throws Exception {
    SigningKeys federation = federation();
    checkpointKeyInDataDirectory();
    // Private members given by mistake must not be served.
    Path legacy =
        Files.writeString(
            dir.resolve("jwks.json"), new JWKSet(federation.active().privateJwk()).toString(false));

    CheckpointKeyring ring =
        CheckpointKeyring.load(List.of(), Optional.of(legacy), Optional.of(dir), federation);

    assertThat(ring.published().getKeys())
        .extracting(JWK::getKeyID)
        .containsExactly(ring.active().kid(), federation.active().kid());
    assertThat(ring.published().getKeys()).noneMatch(JWK::isPrivate);
  }

  @Test
  void aLegacyJwksThatCannotServeIsRefused() throws Exception {
    SigningKeys federation = federation();
    checkpointKeyInDataDirectory();
    Path garbage = Files.writeString(dir.resolve("garbage.json"), "not json");
    Path nameless =
        Files.writeString(
            dir.resolve("nameless.json"),
            new JWKSet(
                    new RSAKey.Builder((RSAKey) federation.active().publicJwk())
                        .keyID(null)
                        .build())
                .toString());

    assertThatThrownBy(
            () ->
                CheckpointKeyring.load(
                    List.of(), Optional.of(garbage), Optional.of(dir), federation))
        .hasMessageContaining("is not a readable JWKS");
    assertThatThrownBy(
            () ->
                CheckpointKeyring.load(
                    List.of(), Optional.of(nameless), Optional.of(dir), federation))
        .hasMessageContaining("without a kid");
  }

  /** A server that signs no checkpoints writes no key; it still verifies with the legacy keys. */
  @Test
  void withoutCheckpointsNoKeyIsGenerated() throws Exception {
    SigningKeys federation = federation();
    Path legacy = Files.writeString(dir.resolve("jwks.json"), federation.publicJwkSet().toString());

    CheckpointKeyring ring =
        CheckpointKeyring.load(List.of(), Optional.of(legacy), Optional.empty(), federation);

    assertThat(dir.resolve(CheckpointKeyring.FILE_NAME)).doesNotExist();
    assertThat(ring.published().getKeys())
        .extracting(JWK::getKeyID)
        .containsExactly(federation.active().kid());
    assertThatThrownBy(ring::active).isInstanceOf(IllegalStateException.class);
  }
}
