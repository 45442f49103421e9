package dev.stint.policy;

import java.nio.file.Path;
import java.util.List;

/**
 * One reload attempt: the files read, the SHA-256 of their contents, and whether the new policy is
 * now in force; when not, every problem (the last good policy stays).
 */
public record PolicyReload(
    List<Path> files, String contentHash, boolean success, List<String> problems) {
  public PolicyReload {
    files = List.copyOf(files);
    problems = List.copyOf(problems);
  }
}
