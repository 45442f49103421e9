package dev.stint.policy;

import java.nio.file.Path;
import java.util.List;

/** The policies in force: the validated contents of a policy directory. */
public record Policies(Path directory, List<Path> files) {
  public Policies {
    files = List.copyOf(files);
  }
}
