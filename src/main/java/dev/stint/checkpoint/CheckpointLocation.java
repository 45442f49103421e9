package dev.stint.checkpoint;

import com.nimbusds.jose.jwk.JWKSet;
import dev.stint.config.CheckpointConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Checkpoints read back for {@code stint audit verify --checkpoints LOCATION}: a directory or
 * {@code s3://BUCKET/PREFIX}. Every signature is checked on the verifying machine before any
 * checkpoint is sent to the server, so a server that lies about its keys' work is not the only
 * judge.
 */
public final class CheckpointLocation {
  /** About what fits one request body; the newest checkpoints are the ones that matter. */
  public static final int MAX_SENT = 90;

  private CheckpointLocation() {}

  /** The location cannot be read, or a checkpoint at it cannot be trusted. */
  public static final class Unusable extends Exception {
    Unusable(String message) {
      super(message);
    }
  }

  public static List<String> read(String location, Optional<String> s3Endpoint) throws Unusable {
    try {
      if (location.startsWith("s3://")) {
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        try (S3Anchor s3 =
            S3Anchor.of(
                new CheckpointConfig.S3(
                    bucket,
                    prefix,
                    s3Endpoint.map(URI::create),
                    Optional.ofNullable(System.getenv("AWS_REGION")),
                    Optional.empty(),
                    Optional.empty()),
                Clock.systemUTC())) {
          return s3.readAll();
        }
      }
      return new DirectoryAnchor(Path.of(location)).readAll();
    } catch (IOException e) {
      throw new Unusable("cannot read checkpoints at " + location + ": " + e.getMessage());
    }
  }

  /** Verifies every checkpoint under {@code jwks}; answers the newest {@code max}, oldest first. */
  public static List<String> newest(List<String> jws, String jwks, int max) throws Unusable {
    JWKSet keys;
    try {
      keys = JWKSet.parse(jwks);
    } catch (ParseException e) {
      throw new Unusable("the server's JWKS cannot be read");
    }
    List<Checkpoint> checked = new ArrayList<>();
    for (String text : jws) {
      try {
        checked.add(CheckpointClaims.verify(text, keys));
      } catch (CheckpointClaims.InvalidCheckpoint e) {
        throw new Unusable("a checkpoint cannot be trusted: " + e.getMessage());
      }
    }
    if (checked.isEmpty()) {
      throw new Unusable("no checkpoints found there");
    }
    checked.sort(Comparator.comparingLong(Checkpoint::seq));
    // The newest retention export's checkpoint is the one that says where the kept events
    // begin; it goes along with the newest of the line.
    List<Checkpoint> exports = checked.stream().filter(CheckpointClaims::isExport).toList();
    List<Checkpoint> line = checked.stream().filter(c -> !CheckpointClaims.isExport(c)).toList();
    List<String> out = new ArrayList<>();
    if (!exports.isEmpty()) {
      out.add(exports.get(exports.size() - 1).jws());
    }
    int room = Math.max(0, max - out.size());
    line.subList(Math.max(0, line.size() - room), line.size()).forEach(c -> out.add(c.jws()));
    return out;
  }
}
