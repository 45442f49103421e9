package dev.stint.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;

/**
 * stint's own classes as the architecture tests check them: the server's (target/classes) and the
 * development build's (target/dev-classes: the demo and the stand-ins). The development classes are
 * compiled into the test classes too, which ArchUnit's "no tests" option would leave out, so both
 * builds are read from their own directories.
 */
final class StintClasses {
  static final Path SERVER = Path.of("target/classes");
  static final Path DEVELOPMENT = Path.of("target/dev-classes");

  private StintClasses() {}

  /**
   * Both builds' {@code dev.stint} classes; picocli, compiled beside them, is not stint's. Read
   * once per test JVM: the classes do not change while the tests run, and reading them is most of
   * an architecture test's time.
   */
  static JavaClasses serverAndDevelopment() {
    return Both.CLASSES;
  }

  private static JavaClasses read(Path... builds) {
    return new ClassFileImporter()
        .withImportOption(location -> location.contains("/dev/stint/"))
        .importPaths(builds);
  }

  /** Read on first use (the holder idiom): a test that needs none of them pays nothing. */
  private static final class Both {
    static final JavaClasses CLASSES = read(SERVER, DEVELOPMENT);
  }
}
