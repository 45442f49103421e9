package dev.stint.checkpoint;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a checkpoint back and checks its signature against a JWKS: the key named by its kid must be
 * published, the header's algorithm must be that key's, and the type must be a checkpoint's. Any
 * failure is an {@link InvalidCheckpoint} naming why.
 */
public final class CheckpointClaims {
  static final String SEQ = "seq";
  static final String HASH = "hash";
  static final String PREV = "prev";

  /** Set only on a retention export's checkpoint: the export's name. */
  static final String EXPORT = "export";

  private static final Pattern HEX64 = Pattern.compile("^[0-9a-f]{64}$");

  private CheckpointClaims() {}

  /** A checkpoint that cannot be trusted, and why. */
  public static final class InvalidCheckpoint extends Exception {
    public InvalidCheckpoint(String message) {
      super(message);
    }
  }

  public static Checkpoint verify(String jws, JWKSet keys) throws InvalidCheckpoint {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(jws.strip());
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new InvalidCheckpoint("not a compact JWS");
    }
    if (jwt.getHeader().getType() == null
        || !Checkpoint.TYPE.equals(jwt.getHeader().getType().getType())) {
      throw new InvalidCheckpoint("not a checkpoint (typ is not " + Checkpoint.TYPE + ")");
    }
    String kid = jwt.getHeader().getKeyID();
    JWK key = kid == null ? null : keys.getKeyByKeyId(kid);
    if (key == null) {
      throw new InvalidCheckpoint("signed with an unknown key (kid " + kid + ")");
    }
    if (key.getAlgorithm() != null && !key.getAlgorithm().equals(jwt.getHeader().getAlgorithm())) {
      throw new InvalidCheckpoint(
          "signed with "
              + jwt.getHeader().getAlgorithm()
              + ", but key "
              + kid
              + " is for "
              + key.getAlgorithm());
    }
    try {
      if (!jwt.verify(verifier(key))) {
        throw new InvalidCheckpoint("its signature does not verify under key " + kid);
      }
    } catch (JOSEException e) {
      throw new InvalidCheckpoint("its signature cannot be checked under key " + kid);
    }
    return read(jwt, claims, kid, jws.strip());
  }

  private static Checkpoint read(SignedJWT jwt, JWTClaimsSet claims, String kid, String jws)
      throws InvalidCheckpoint {
    try {
      Long seq = claims.getLongClaim(SEQ);
      String hash = claims.getStringClaim(HASH);
      String prev = claims.getStringClaim(PREV);
      if (seq == null
          || seq < 1
          || hash == null
          || !HEX64.matcher(hash).matches()
          || claims.getIssueTime() == null
          || prev != null && !HEX64.matcher(prev).matches()) {
        throw new InvalidCheckpoint("its claims are incomplete (seq, hash, iat, prev)");
      }
      return new Checkpoint(
          seq, hash, claims.getIssueTime().toInstant(), Optional.ofNullable(prev), kid, jws);
    } catch (ParseException e) {
      throw new InvalidCheckpoint("its claims have the wrong types");
    }
  }

  /**
   * Whether a verified checkpoint is a retention export's (it stands outside the line of
   * checkpoints, see {@link CheckpointSigner#signExport}). The claim is covered by the signature.
   */
  public static boolean isExport(Checkpoint checkpoint) {
    try {
      return SignedJWT.parse(checkpoint.jws()).getJWTClaimsSet().getClaim(EXPORT) != null;
    } catch (ParseException e) {
      return false;
    }
  }

  private static JWSVerifier verifier(JWK key) throws JOSEException {
    if (key instanceof RSAKey rsa) {
      return new RSASSAVerifier(rsa);
    }
    if (key instanceof ECKey ec) {
      return new ECDSAVerifier(ec);
    }
    throw new JOSEException("unsupported key type " + key.getKeyType());
  }
}
