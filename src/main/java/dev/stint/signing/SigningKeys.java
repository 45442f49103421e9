package dev.stint.signing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The issuer's keys, in configured order. The first one signs; all are published in the JWKS, so a
 * new key can be published (and cached by every cloud) before it starts signing, and a retired key
 * stays verifiable until the tokens it signed have expired.
 */
public final class SigningKeys {
  private final List<SigningKey> keys;

  private SigningKeys(List<SigningKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one signing key is needed");
    }
    this.keys = List.copyOf(keys);
  }

  /** Reads and validates every file; the first problem found is reported, naming its file. */
  public static SigningKeys load(List<Path> files) throws InvalidSigningKeyException {
    List<SigningKey> keys = new ArrayList<>();
    for (Path file : files) {
      keys.add(SigningKeyFiles.read(file));
    }
    return of(keys);
  }

  /** Refuses two keys with one kid: a verifier could not tell which one signed. */
  public static SigningKeys of(List<SigningKey> keys) throws InvalidSigningKeyException {
    Map<String, SigningKey> byKid = new HashMap<>();
    for (SigningKey key : keys) {
      SigningKey earlier = byKid.putIfAbsent(key.kid(), key);
      if (earlier != null) {
        throw new InvalidSigningKeyException(
            key.source(),
            "has the same kid "
                + key.kid()
                + " as "
                + earlier.source()
                + " (the same key listed twice?)");
      }
    }
    return new SigningKeys(keys);
  }

  /** The key that signs new tokens: the first configured. */
  public SigningKey active() {
    return keys.get(0);
  }

  public List<SigningKey> all() {
    return keys;
  }

  /** Public parts only, in configured order. */
  public JWKSet publicJwkSet() {
    List<JWK> published = new ArrayList<>();
    keys.forEach(k -> published.add(k.publicJwk()));
    return new JWKSet(published);
  }

  /** The algorithms the published keys sign with (for the discovery document). */
  public Set<JWSAlgorithm> algorithms() {
    Set<JWSAlgorithm> algs = new LinkedHashSet<>();
    keys.forEach(k -> algs.add(k.algorithm()));
    return algs;
  }
}
