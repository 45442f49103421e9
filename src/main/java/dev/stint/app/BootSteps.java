package dev.stint.app;

import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Migrations;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyException;
import dev.stint.policy.PolicyLoader;
import dev.stint.signing.CheckpointKeyring;
import dev.stint.signing.DevelopmentKey;
import dev.stint.signing.InvalidSigningKeyException;
import dev.stint.signing.SigningKeys;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Boot steps that either succeed or stop start-up with one line naming the cause. */
final class BootSteps {
  private BootSteps() {}

  /** Waits at boot for a step that must succeed; its failure stops start-up. */
  static <T> T await(Future<T> future, String failure) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new StartupException(failure + ": " + rootMessage(e), e);
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }

  static void migrate(DatabaseUrl url) {
    try {
      Migrations.migrate(url);
    } catch (RuntimeException e) {
      throw new StartupException("database " + url + " is unusable: " + rootMessage(e), e);
    }
  }

  /** The policy in {@code dir}; any problem (a type error in a condition too) stops start-up. */
  static Policy policies(Path dir, PolicyLoader loader) {
    try {
      return loader.load(dir);
    } catch (PolicyException e) {
      throw new StartupException("policies: " + e.getMessage(), e);
    }
  }

  /**
   * The audit checkpoints' own keys (configured, else generated into data_dir when checkpoints are
   * signed), never one that signs federation tokens.
   */
  static CheckpointKeyring checkpointKeys(StintConfig config, SigningKeys federation) {
    StintConfig.CheckpointKeyFiles files = config.audit().checkpointKeys();
    Optional<Path> generateIn = config.audit().checkpoints().map(c -> config.dataDir());
    try {
      return CheckpointKeyring.load(files.signing(), files.legacyJwks(), generateIn, federation);
    } catch (InvalidSigningKeyException e) {
      throw new StartupException("audit.checkpoint_keys: " + e.getMessage(), e);
    }
  }

  /** The configured keys, or the development key in data_dir when none are configured. */
  static SigningKeys signingKeys(StintConfig config) {
    try {
      return config.signingKeys().isEmpty()
          ? DevelopmentKey.loadOrCreate(config.dataDir())
          : SigningKeys.load(config.signingKeys());
    } catch (InvalidSigningKeyException e) {
      throw new StartupException("signing_keys: " + e.getMessage(), e);
    }
  }
}
