package dev.stint.finding;

import java.util.List;

/** What a query found, newest first, and whether there were more than {@link #LIMIT}. */
public record FindingPage(List<Finding> findings, boolean truncated) {
  /** The most findings one query answers with. */
  public static final int LIMIT = 1000;

  public FindingPage {
    findings = List.copyOf(findings);
  }
}
