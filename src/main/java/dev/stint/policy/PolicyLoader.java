package dev.stint.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Reads and validates every {@code *.yaml} / {@code *.yml} file of a policy directory. */
public final class PolicyLoader {
  private static final Set<String> TOP_LEVEL =
      Set.of("auditors", "admins", "issuers", "profiles", "ci");
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  /** Loads the directory, or throws {@link PolicyException} listing every problem. */
  public Policies load(Path dir) {
    List<String> problems = new ArrayList<>();
    List<Path> files = policyFiles(dir, problems);
    for (Path file : files) {
      check(file, problems);
    }
    if (!problems.isEmpty()) {
      throw new PolicyException(problems);
    }
    return new Policies(dir, files);
  }

  private static List<Path> policyFiles(Path dir, List<String> problems) {
    if (!Files.isDirectory(dir)) {
      problems.add(dir + ": policy directory does not exist");
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> files = entries
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
      if (files.isEmpty()) {
        problems.add(dir + ": no policy files (*.yaml) found");
      }
      return files;
    } catch (IOException e) {
      problems.add(dir + ": cannot list policy directory: " + e.getMessage());
      return List.of();
    }
  }

  private void check(Path file, List<String> problems) {
    JsonNode root;
    try {
      root = yaml.readTree(Files.readString(file));
    } catch (IOException e) {
      problems.add(file + ": not valid YAML: " + firstLine(e.getMessage()));
      return;
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return;
    }
    if (!root.isObject()) {
      problems.add(file + ": must be a mapping at the top level");
      return;
    }
    Iterator<String> keys = root.fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (!TOP_LEVEL.contains(key)) {
        problems.add(file + ": " + key + ": unknown top-level key (expected one of "
            + String.join(", ", TOP_LEVEL.stream().sorted().toList()) + ")");
      }
    }
  }

  private static String firstLine(String s) {
    int nl = s == null ? -1 : s.indexOf('\n');
    return s == null ? "unreadable" : nl < 0 ? s : s.substring(0, nl);
  }
}
