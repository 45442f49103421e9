package dev.stint.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code metrics.*} keys: where /metrics listens and the bearer token it asks for, given inline
 * or in a file. The token is never repeated in a problem.
 */
final class MetricsKeys {
  private MetricsKeys() {}

  /** The token comes inline (env) or from a file; both at once is ambiguous and refused. */
  static StintConfig.MetricsConfig bind(KeyReader keys) {
    Optional<String> inline = keys.optional(ConfigKeys.METRICS_TOKEN, MetricsKeys::token);
    Optional<String> fromFile =
        keys.optional(ConfigKeys.METRICS_TOKEN_FILE, MetricsKeys::tokenFile);
    if (inline.isPresent() && fromFile.isPresent()) {
      keys.problems()
          .add(
              ConfigKeys.METRICS_TOKEN.name()
                  + " and "
                  + ConfigKeys.METRICS_TOKEN_FILE.name()
                  + " are both set; set one");
    }
    return new StintConfig.MetricsConfig(
        keys.optional(ConfigKeys.METRICS_LISTEN, ConfigValues::hostPort),
        inline.or(() -> fromFile));
  }

  /** Short tokens can be guessed by a scraper on the network; the token is never echoed. */
  static String token(String s) {
    String t = s.strip();
    if (t.length() < 16 || !t.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new IllegalArgumentException(
          "must be at least 16 printable characters without spaces (the value is not shown)");
    }
    return t;
  }

  private static String tokenFile(String path) {
    String text;
    try {
      text = Files.readString(Path.of(path));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read the token file '" + path + "'");
    }
    try {
      return token(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the token in '" + path + "' " + e.getMessage());
    }
  }
}
