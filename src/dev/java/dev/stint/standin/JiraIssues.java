package dev.stint.standin;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DEVELOPMENT AND TEST ONLY: the issues a {@link JiraStandIn} answers about, each as it is now, its
 * key matched without regard to case as Jira does. Thread-safe.
 */
public final class JiraIssues {
  /** Jira's three status categories, as its answers describe them: id, key, name, colour. */
  static final Map<String, List<Object>> CATEGORIES =
      Map.of(
          "new", List.of(2, "To Do", "blue-gray"),
          "indeterminate", List.of(4, "In Progress", "yellow"),
          "done", List.of(3, "Done", "green"));

  /** An issue as it is now: its status's name and category, assignee (null: nobody), project. */
  public record Issue(
      String key, String status, String category, String assigneeEmail, String project) {}

  private final Map<String, Issue> issues = new ConcurrentHashMap<>();

  JiraIssues() {}

  /**
   * Issue {@code key} as it is now; {@code statusCategory} is {@code new}, {@code indeterminate} or
   * {@code done}; {@code assigneeEmail} null for nobody.
   */
  public void ticket(
      String key, String status, String statusCategory, String assigneeEmail, String project) {
    if (!CATEGORIES.containsKey(statusCategory)) {
      throw new IllegalArgumentException("Jira has no status category " + statusCategory);
    }
    issues.put(
        key.toUpperCase(Locale.ROOT),
        new Issue(key, status, statusCategory, assigneeEmail, project));
  }

  /** Moves issue {@code key} to Done. */
  public void close(String key) {
    issues.computeIfPresent(
        key.toUpperCase(Locale.ROOT),
        (k, i) -> new Issue(i.key(), "Done", "done", i.assigneeEmail(), i.project()));
  }

  /** Moves issue {@code key} back to In Progress, as reopening a closed ticket does. */
  public void reopen(String key) {
    issues.computeIfPresent(
        key.toUpperCase(Locale.ROOT),
        (k, i) ->
            new Issue(i.key(), "In Progress", "indeterminate", i.assigneeEmail(), i.project()));
  }

  /** Issue {@code key} as it is now, its key matched without regard to case. */
  public Optional<Issue> issue(String key) {
    return Optional.ofNullable(issues.get(key.toUpperCase(Locale.ROOT)));
  }

  /** Every issue, by key. */
  public List<Issue> all() {
    return issues.values().stream().sorted(Comparator.comparing(Issue::key)).toList();
  }

  /** Deletes issue {@code key}: from now on it is 404. */
  public void remove(String key) {
    issues.remove(key.toUpperCase(Locale.ROOT));
  }

  Issue get(String key) {
    return issues.get(key.toUpperCase(Locale.ROOT));
  }
}
