package dev.stint.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The raw values of the known keys, merged from the YAML file and the environment (environment
 * wins), each remembering where it came from so that messages can point at it.
 */
final class ConfigSource {

  /** A value and where it was set ({@code stint.yaml} or {@code env STINT_LISTEN}). */
  record Value(JsonNode node, String origin) {}

  private final List<ConfigKey> known;
  private final Map<String, ConfigKey> byName = new HashMap<>();
  private final Map<String, Value> values = new HashMap<>();
  private final List<String> problems = new ArrayList<>();

  private ConfigSource(List<ConfigKey> known) {
    this.known = List.copyOf(known);
    known.forEach(k -> byName.put(k.name(), k));
  }

  /** The values of the {@code known} keys in {@code file} (when given) and {@code env}. */
  static ConfigSource read(Optional<Path> file, Map<String, String> env, List<ConfigKey> known) {
    ConfigSource source = new ConfigSource(known);
    file.ifPresent(source::readFile);
    source.readEnv(env);
    return source;
  }

  Optional<Value> get(ConfigKey key) {
    return Optional.ofNullable(values.get(key.name()));
  }

  List<String> problems() {
    return problems;
  }

  private void readFile(Path file) {
    String name = file.toString();
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      problems.add("config file " + name + " does not exist");
      return;
    } catch (IOException e) {
      problems.add("config file " + name + " is not valid YAML: " + firstLine(e.getMessage()));
      return;
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return; // an empty file is a valid, all-defaults configuration
    }
    if (!root.isObject()) {
      problems.add("config file " + name + " must be a mapping of keys to values");
      return;
    }
    walk(root, "", name);
  }

  private void walk(JsonNode node, String prefix, String origin) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = prefix + field.getKey();
      ConfigKey key = byName.get(name);
      if (key != null) {
        values.put(name, new Value(field.getValue(), origin));
      } else if (field.getValue().isObject() && isSection(name)) {
        walk(field.getValue(), name + ".", origin);
      } else {
        problems.add("unknown key '" + name + "' in " + origin);
      }
    }
  }

  private boolean isSection(String name) {
    return known.stream().anyMatch(k -> k.name().startsWith(name + "."));
  }

  private void readEnv(Map<String, String> env) {
    for (ConfigKey key : known) {
      if (key.env() == null || !env.containsKey(key.env())) {
        continue;
      }
      String raw = env.get(key.env());
      JsonNode node;
      if (key.list()) {
        var array = new ObjectMapper().createArrayNode();
        for (String part : raw.split(",")) {
          if (!part.isBlank()) {
            array.add(part.trim());
          }
        }
        node = array;
      } else {
        node = new ObjectMapper().getNodeFactory().textNode(raw);
      }
      values.put(key.name(), new Value(node, "env " + key.env()));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
