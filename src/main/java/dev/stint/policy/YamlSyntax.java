package dev.stint.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A file that is not valid YAML, as a problem that names the line and column where the parser gave
 * up, so the author need not bisect the file.
 */
public final class YamlSyntax {
  private YamlSyntax() {}

  /**
   * Adds the problem of {@code file}'s failed parse: {@code file: line L, column C: not valid YAML:
   * problem}.
   */
  /**
   * The same problem as one line, for YAML read outside a policy (the cases of {@code stint policy
   * test}).
   */
  public static String describe(String file, IOException e) {
    ProblemList problems = new ProblemList();
    report(file, e, problems);
    return problems.all().get(0);
  }

  static void report(String file, IOException e, ProblemList problems) {
    // Jackson's own location is where its reader stood, which for a flow collection left open is
    // the opening bracket; SnakeYAML's problem mark is where the problem is.
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      problems.add(file, at(yaml.getProblemMark()), "not valid YAML: " + problem(yaml));
      return;
    }
    if (e instanceof JsonProcessingException json && json.getLocation() != null) {
      JsonLocation where = json.getLocation();
      if (where.getLineNr() > 0) {
        problems.add(
            file,
            "line " + where.getLineNr() + ", column " + where.getColumnNr(),
            "not valid YAML: " + firstLine(json.getOriginalMessage()));
        return;
      }
    }
    problems.add(file, "", "not valid YAML: " + firstLine(e.getMessage()));
  }

  private static String problem(MarkedYAMLException yaml) {
    String problem = firstLine(yaml.getProblem());
    if (yaml.getContext() == null) {
      return problem;
    }
    String context = yaml.getContext();
    Mark started = yaml.getContextMark();
    return started == null || at(started).equals(at(yaml.getProblemMark()))
        ? problem + " (" + context + ")"
        : problem + " (" + context + " at " + at(started) + ")";
  }

  /** SnakeYAML counts lines and columns from 0; editors count from 1. */
  private static String at(Mark mark) {
    return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  private static String firstLine(String m) {
    return m == null ? "unreadable" : m.lines().findFirst().orElse(m);
  }
}
