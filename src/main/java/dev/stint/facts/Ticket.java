package dev.stint.facts;

import java.util.Objects;
import java.util.Optional;

/**
 * A ticket as the tracker answered it: its key, its status's name, the status's category ({@code
 * new}, {@code indeterminate} or {@code done}, Jira's three), the assignee's email when there is
 * one and the tracker shows it, and the project's key.
 */
public record Ticket(
    String key,
    String status,
    String statusCategory,
    Optional<String> assigneeEmail,
    String project) {
  public Ticket {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(statusCategory, "statusCategory");
    Objects.requireNonNull(assigneeEmail, "assigneeEmail");
    Objects.requireNonNull(project, "project");
  }
}
