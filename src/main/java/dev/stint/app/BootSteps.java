package dev.stint.app;

import static dev.stint.app.Server.rootMessage;

import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Migrations;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyException;
import dev.stint.policy.PolicyLoader;
import dev.stint.signing.DevelopmentKey;
import dev.stint.signing.InvalidSigningKeyException;
import dev.stint.signing.SigningKeys;

/** Boot steps that either succeed or stop start-up with one line naming the cause. */
final class BootSteps {
  private BootSteps() {}

  static void migrate(DatabaseUrl url) {
    try {
      Migrations.migrate(url);
    } catch (RuntimeException e) {
      throw new StartupException("database " + url + " is unusable: " + rootMessage(e), e);
    }
  }

  static Policy policies(StintConfig config, PolicyLoader loader) {
    try {
      return loader.load(config.policiesDir());
    } catch (PolicyException e) {
      throw new StartupException("policies: " + e.getMessage(), e);
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
