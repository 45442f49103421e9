package dev.stint.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of audit checkpoints, kept apart from the federation keys: a checkpoint is evidence for
 * years, a federation token lives minutes and is trusted by clouds, so neither key may vouch for
 * the other's kind of statement, and retiring a federation key must not orphan the audit's
 * checkpoints. The first configured key signs; every configured key verifies, and so does every key
 * of the legacy JWKS: keys that signed checkpoints before they had keys of their own (the
 * federation keys of that time), which verify and never sign.
 */
public final class CheckpointKeyring {
  /** The key generated into {@code data_dir} when none is configured. */
  public static final String FILE_NAME = "checkpoint-key.pem";

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointKeyring.class);

  private final Optional<SigningKeys> keys;
  private final JWKSet published;

  private CheckpointKeyring(Optional<SigningKeys> keys, JWKSet published) {
    this.keys = keys;
    this.published = published;
  }

  /**
   * The configured checkpoint keys, else one generated once into {@code generateIn} when given (a
   * server that signs no checkpoints writes no key), and the legacy JWKS when given. Refuses a
   * checkpoint key that is also one of {@code federation}.
   */
  public static CheckpointKeyring load(
      List<Path> files,
      Optional<Path> legacyJwks,
      Optional<Path> generateIn,
      SigningKeys federation)
      throws InvalidSigningKeyException {
    Optional<SigningKeys> keys = Optional.empty();
    if (!files.isEmpty()) {
      keys = Optional.of(SigningKeys.load(files));
    } else if (generateIn.isPresent()) {
      keys =
          Optional.of(
              GeneratedKey.loadOrCreate(
                  generateIn.get().resolve(FILE_NAME), "audit checkpoint signing"));
    }
    Set<String> federal = thumbprints(federation.publicJwkSet().getKeys());
    List<JWK> verifying = new ArrayList<>();
    for (SigningKey key : keys.map(SigningKeys::all).orElse(List.of())) {
      if (federal.contains(thumbprint(key.publicJwk()))) {
        throw new InvalidSigningKeyException(
            key.source(),
            "also signs federation tokens"
                + " (signing_keys); audit checkpoints need a key of their own");
      }
      verifying.add(key.publicJwk());
    }
    if (legacyJwks.isPresent()) {
      List<JWK> legacy = legacy(legacyJwks.get());
      warnWhereStillFederal(legacy, federal);
      verifying.addAll(legacy);
    }
    return new CheckpointKeyring(keys, new JWKSet(verifying));
  }

  /** The key that signs new checkpoints; only a ring loaded to sign has one. */
  public SigningKey active() {
    return keys.orElseThrow(
            () -> new IllegalStateException("no checkpoint key: this server signs no checkpoints"))
        .active();
  }

  /** Public parts of every key a checkpoint may be signed with: served to verifiers. */
  public JWKSet published() {
    return published;
  }

  private static List<JWK> legacy(Path file) throws InvalidSigningKeyException {
    JWKSet set;
    try {
      set = JWKSet.load(file.toFile());
    } catch (IOException | ParseException e) {
      throw new InvalidSigningKeyException(
          file, "is not a readable JWKS (a saved copy of" + " /.well-known/jwks.json)");
    }
    for (JWK key : set.getKeys()) {
      if (key.getKeyID() == null || key.getKeyID().isBlank()) {
        throw new InvalidSigningKeyException(
            file, "holds a key without a kid; checkpoints name" + " their key by kid");
      }
    }
    return set.toPublicJWKSet().getKeys();
  }

  private static void warnWhereStillFederal(List<JWK> legacy, Set<String> federal) {
    for (JWK key : legacy) {
      if (federal.contains(thumbprint(key))) {
        LOG.warn(
            "audit.checkpoint_legacy_jwks: key {} still signs federation tokens; until it"
                + " leaves signing_keys, whoever holds it can also sign checkpoints that verify",
            key.getKeyID());
      }
    }
  }

  private static Set<String> thumbprints(List<JWK> keys) {
    Set<String> out = new HashSet<>();
    keys.forEach(k -> out.add(thumbprint(k)));
    return out;
  }

  /** RFC 7638: the key material alone, whatever kid a file gives it. */
  private static String thumbprint(JWK key) {
    try {
      return key.toPublicJWK().computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
