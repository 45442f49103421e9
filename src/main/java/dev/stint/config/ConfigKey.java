package dev.stint.config;

import java.util.Optional;

/**
 * One configuration key: its dotted YAML name, the environment variable that overrides it, its
 * default, and whether it holds a list. {@link ConfigKeys#ALL} lists every key stint knows.
 */
public record ConfigKey(String name, String env, Optional<String> defaultValue, boolean list) {
  static ConfigKey scalar(String name, String env, String def) {
    return new ConfigKey(name, env, Optional.ofNullable(def), false);
  }

  static ConfigKey list(String name, String env) {
    return new ConfigKey(name, env, Optional.empty(), true);
  }
}
