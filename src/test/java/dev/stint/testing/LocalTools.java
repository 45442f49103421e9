package dev.stint.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs some tests run as a user would (the AWS CLI v2, a C compiler, zsh and fish, Node.js).
 * Without one the test is skipped, saying why, unless its {@code STINT_REQUIRE_*} variable is set
 * (CI sets them): then it fails, so CI cannot silently skip it.
 */
public final class LocalTools {
  private LocalTools() {}

  /** Debian's AWS CLI v2 ({@code awscli}); a v1 {@code aws} elsewhere on PATH would not do. */
  public static Path awsCli() {
    return require(
        Path.of("/usr/bin/aws"),
        "STINT_REQUIRE_AWSCLI",
        "the AWS CLI v2 (/usr/bin/aws, Debian package awscli; CI installs it in .ci/run)",
        System.getenv());
  }

  /** The C compiler that builds the launcher's stint-cached. */
  public static Path cc() {
    Optional<Path> cc = onPath("cc");
    return require(
        cc.orElse(Path.of("/usr/bin/cc")),
        "STINT_REQUIRE_CC",
        "a C compiler (cc) to build stint-cached (Debian packages gcc, libc6-dev)",
        System.getenv());
  }

  /**
   * A shell from Debian's package of that name ({@code zsh}, {@code fish}), for the completion
   * scripts.
   */
  public static Path shell(String name) {
    return require(
        onPath(name).orElse(Path.of("/usr/bin", name)),
        "STINT_REQUIRE_SHELLS",
        name + " (Debian package " + name + "; CI installs it in .ci/run)",
        System.getenv());
  }

  /**
   * Node.js and npm ({@code nodejs}, {@code npm}), for the TypeScript MCP SDK's client: npm, which
   * lies beside node.
   */
  public static Path npm() {
    require(
        onPath("node").orElse(Path.of("/usr/bin/node")),
        "STINT_REQUIRE_NODE",
        "Node.js (Debian package nodejs; CI installs it in .ci/run)",
        System.getenv());
    return require(
        onPath("npm").orElse(Path.of("/usr/bin/npm")),
        "STINT_REQUIRE_NODE",
        "npm (Debian package npm; CI installs it in .ci/run)",
        System.getenv());
  }

  static Path require(Path tool, String variable, String what, Map<String, String> env) {
    if (Files.isExecutable(tool)) {
      return tool;
    }
    String message = "this test needs " + what;
    if ("1".equals(env.get(variable))) {
      Assertions.fail(message + " — " + variable + "=1, so this fails instead of skipping");
    }
    Assumptions.abort("SKIPPED: " + message);
    throw new IllegalStateException("unreachable");
  }

  static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
