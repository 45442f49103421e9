package dev.stint.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.common.SourceNetworks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The configuration source read one key at a time: each value parsed by the rule its key's area
 * gives, and every problem collected, naming the key and where it was set, so that boot reports
 * them all at once instead of the first.
 */
final class KeyReader {
  private final ConfigSource source;
  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  KeyReader(ConfigSource source, Map<String, String> env) {
    this.source = source;
    this.env = env;
    problems.addAll(source.problems());
  }

  /** The problems found so far; areas whose rules tie keys together add theirs here. */
  List<String> problems() {
    return problems;
  }

  /** The environment, for keys that name a variable holding a secret. */
  Map<String, String> env() {
    return env;
  }

  /** The key's raw value and where it was set, unparsed. */
  Optional<ConfigSource.Value> raw(ConfigKey key) {
    return source.get(key);
  }

  /** Whether the key is set, whether or not its value reads. */
  boolean isSet(ConfigKey key) {
    return source.get(key).isPresent();
  }

  /** The key's value, or its default; null when it has neither or its value does not read. */
  <T> T scalar(ConfigKey key, Function<String, T> parse) {
    Optional<T> value = optional(key, parse);
    if (value.isPresent()) {
      return value.get();
    }
    // A key with a default always parses its default; a bad default is a bug, so fail loudly.
    return key.defaultValue().map(parse).orElse(null);
  }

  <T> Optional<T> optional(ConfigKey key, Function<String, T> parse) {
    Optional<ConfigSource.Value> value = source.get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    JsonNode node = value.get().node();
    if (!node.isValueNode() || node.isNull()) {
      problem(key, value.get(), "expected a single value");
      return Optional.empty();
    }
    try {
      return Optional.of(parse.apply(node.asText()));
    } catch (IllegalArgumentException e) {
      problem(key, value.get(), e.getMessage());
      return Optional.empty();
    }
  }

  /** The names of those of {@code keys} that are set, whether or not they read. */
  Set<String> present(ConfigKey... keys) {
    Set<String> out = new HashSet<>();
    for (ConfigKey key : keys) {
      if (source.get(key).isPresent()) {
        out.add(key.name());
      }
    }
    return out;
  }

  /** A list key read by {@code parse}; a problem when it does not read. */
  <T> Optional<T> listOf(ConfigKey key, Function<JsonNode, T> parse) {
    Optional<ConfigSource.Value> value = source.get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse.apply(value.get().node()));
    } catch (IllegalArgumentException e) {
      problem(key, value.get(), e.getMessage());
      return Optional.empty();
    }
  }

  List<Path> paths(ConfigKey key) {
    Optional<ConfigSource.Value> value = source.get(key);
    List<Path> out = new ArrayList<>();
    if (value.isEmpty()) {
      return out;
    }
    JsonNode node = value.get().node();
    if (!node.isArray()) {
      problem(key, value.get(), "expected a list of file paths");
      return out;
    }
    for (JsonNode item : node) {
      if (!item.isTextual() || item.asText().isBlank()) {
        problem(key, value.get(), "expected a list of file paths");
        return List.of();
      }
      out.add(Path.of(item.asText()));
    }
    return out;
  }

  /** A list of CIDRs, each checked (and written canonically) as a profile's source_cidrs are. */
  List<String> networks(ConfigKey key) {
    Optional<ConfigSource.Value> value = source.get(key);
    if (value.isEmpty()) {
      return List.of();
    }
    JsonNode node = value.get().node();
    List<String> entries = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(item -> entries.add(item.isTextual() ? item.asText() : ""));
    }
    if (!node.isArray() || entries.contains("")) {
      problem(key, value.get(), "expected a list of CIDRs such as 10.0.0.0/8");
      return List.of();
    }
    try {
      return SourceNetworks.parse(entries).cidrs();
    } catch (IllegalArgumentException e) {
      problem(key, value.get(), e.getMessage());
      return List.of();
    }
  }

  void problem(ConfigKey key, ConfigSource.Value value, String why) {
    problems.add(key.name() + " (" + value.origin() + "): " + why);
  }
}
