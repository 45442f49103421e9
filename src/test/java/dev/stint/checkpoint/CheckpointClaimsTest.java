package dev.stint.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.signing.FederationToken;
import dev.stint.signing.GeneratedKey;
import dev.stint.signing.KeyType;
import dev.stint.signing.SigningKey;
import dev.stint.signing.SigningKeys;
import dev.stint.signing.TokenSigner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A checkpoint is told apart from any other JWT by its {@code typ}: under the very key that signs
 * checkpoints, a federation token, or checkpoint claims under another type, is refused.
 */
class CheckpointClaimsTest {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final SigningKeys KEYS = keys();

  private static SigningKeys keys() {
    try {
      return SigningKeys.of(List.of(GeneratedKey.generate(KeyType.EC, 0, Path.of("k.pem")).key()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aCheckpointVerifiesUnderItsKey() throws Exception {
    Checkpoint c =
        new CheckpointSigner("https://stint.test", KEYS.active())
            .sign(7, "a".repeat(64), NOW, Optional.empty());

    assertThat(CheckpointClaims.verify(c.jws(), KEYS.publicJwkSet()).seq()).isEqualTo(7);
  }

  @Test
  void aFederationTokenIsNeverACheckpoint() {
    String token =
        new TokenSigner(URI.create("https://stint.test"), KEYS, Clock.fixed(NOW, ZoneOffset.UTC))
            .sign(
                FederationToken.of("profile:p", "sts.amazonaws.com")
                    .withClaims(Map.of("seq", 7, "hash", "a".repeat(64))));

    assertThatThrownBy(() -> CheckpointClaims.verify(token, KEYS.publicJwkSet()))
        .hasMessage("not a checkpoint (typ is not stint-checkpoint+jwt)");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"JWT", "stint-checkpoint", "at+jwt"})
  void checkpointClaimsUnderAnotherTypeAreRefused(String type) throws Exception {
    SigningKey key = KEYS.active();
    JWSHeader.Builder header = new JWSHeader.Builder(key.algorithm()).keyID(key.kid());
    if (type != null) {
      header.type(new JOSEObjectType(type));
    }
    SignedJWT jwt =
        new SignedJWT(
            header.build(),
            new JWTClaimsSet.Builder()
                .issuer("https://stint.test")
                .issueTime(Date.from(NOW))
                .claim("seq", 7)
                .claim("hash", "a".repeat(64))
                .build());
    jwt.sign(key.signer());

    assertThatThrownBy(() -> CheckpointClaims.verify(jwt.serialize(), KEYS.publicJwkSet()))
        .hasMessageStartingWith("not a checkpoint");
  }
}
