package dev.stint.checkpoint;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.signing.SigningKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;

/** Signs checkpoints with stint's active signing key, whose kid its JWKS publishes. */
public final class CheckpointSigner {
  private final String issuer;
  private final SigningKey key;

  public CheckpointSigner(String issuer, SigningKey key) {
    this.issuer = issuer;
    this.key = key;
  }

  public Checkpoint sign(long seq, String hash, Instant time, Optional<String> prevDigest) {
    return sign(seq, hash, time, prevDigest, Optional.empty());
  }

  /**
   * The checkpoint of a retention export's last event. It names the export instead of a
   * predecessor: it stands beside the server's line of checkpoints, not in it, and vouches for the
   * seq and hash the first event kept after the export must follow.
   */
  public Checkpoint signExport(long seq, String hash, Instant time, String export) {
    return sign(seq, hash, time, Optional.empty(), Optional.of(export));
  }

  private Checkpoint sign(
      long seq, String hash, Instant time, Optional<String> prevDigest, Optional<String> export) {
    Instant at = time.truncatedTo(ChronoUnit.SECONDS);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .issueTime(Date.from(at))
            .claim(CheckpointClaims.SEQ, seq)
            .claim(CheckpointClaims.HASH, hash)
            .claim(CheckpointClaims.PREV, prevDigest.orElse(null))
            .claim(CheckpointClaims.EXPORT, export.orElse(null))
            .build();
    JWSHeader header =
        new JWSHeader.Builder(key.algorithm())
            .keyID(key.kid())
            .type(new JOSEObjectType(Checkpoint.TYPE))
            .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(key.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign an audit checkpoint", e);
    }
    return new Checkpoint(seq, hash, at, prevDigest, key.kid(), jwt.serialize());
  }
}
