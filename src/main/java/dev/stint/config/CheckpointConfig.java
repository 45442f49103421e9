package dev.stint.config;

import dev.stint.common.SecureUrls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code audit.checkpoints}: how often the chain head is signed, how often the server re-checks new
 * events against the last checkpoint, and where each signed checkpoint is written. The defaults are
 * in {@link CheckpointKeys}.
 */
public record CheckpointConfig(
    int everyEvents, Duration every, Duration verifyEvery, List<Anchor> anchors) {

  public CheckpointConfig {
    anchors = List.copyOf(anchors);
  }

  /** One place a checkpoint is written; {@link #id()} names it in the database and logs. */
  public sealed interface Anchor permits Dir, S3, Webhook {
    String id();
  }

  /** A directory, ideally a WORM or separately owned volume: one file per checkpoint. */
  public record Dir(Path path) implements Anchor {
    @Override
    public String id() {
      return "dir:" + path;
    }
  }

  /**
   * An S3 bucket and key prefix; {@code endpoint} for S3-compatible stores, {@code lockMode}
   * ({@code GOVERNANCE} or {@code COMPLIANCE}) with {@code retention} to set Object Lock on each
   * object, which the bucket must have enabled.
   */
  public record S3(
      String bucket,
      String prefix,
      Optional<URI> endpoint,
      Optional<String> region,
      Optional<String> lockMode,
      Optional<Duration> retention)
      implements Anchor {
    @Override
    public String id() {
      return "s3://" + bucket + "/" + prefix;
    }
  }

  /**
   * A URL each checkpoint is POSTed to. Its query may carry a token, so only the scheme, host, port
   * and path are ever shown.
   */
  public record Webhook(URI url) implements Anchor {
    @Override
    public String id() {
      return "webhook:" + SecureUrls.shown(url);
    }

    @Override
    public String toString() {
      return "Webhook[" + id() + "]";
    }
  }
}
