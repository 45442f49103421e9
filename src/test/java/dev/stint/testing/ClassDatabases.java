package dev.stint.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Drops the databases a test class made ({@link TestPostgres}) once the class has ended, its
 * servers stopped: registered with the JUnit Platform for every test run (META-INF/services), so no
 * class has to remember it. A nested class shares its enclosing class's databases, which are
 * dropped with the enclosing class.
 */
public final class ClassDatabases implements TestExecutionListener {
  /** An engine's top level: the engine, then the class. */
  private static final int TOP_LEVEL_CLASS_SEGMENTS = 2;

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (isTopLevelClass(test)) {
      TestPostgres.dropClassDatabases();
    }
  }

  static boolean isTopLevelClass(TestIdentifier test) {
    return test.getSource().filter(ClassSource.class::isInstance).isPresent()
        && test.getUniqueIdObject().getSegments().size() == TOP_LEVEL_CLASS_SEGMENTS;
  }
}
