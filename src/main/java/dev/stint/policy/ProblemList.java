package dev.stint.policy;

import java.util.ArrayList;
import java.util.List;

/** Every problem found while loading, each as {@code file: key: reason}. */
final class ProblemList {
  private final List<String> problems = new ArrayList<>();

  void add(String file, String key, String reason) {
    problems.add(key.isEmpty() ? file + ": " + reason : file + ": " + key + ": " + reason);
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  List<String> all() {
    return List.copyOf(problems);
  }
}
