package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.stint.config.DatabaseUrl;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * A test class's databases are dropped when the class ends, and not before: its nested classes and
 * each of its tests still find them. Runs a class of its own through the JUnit Platform, as
 * surefire does, with the listener registered as every run has it.
 */
class ClassDatabasesTest {
  /** What the class run below saw; static, as JUnit makes the instances. */
  static final List<String> MADE = new ArrayList<>();

  static final List<Boolean> SEEN_BY_A_LATER_TEST = new ArrayList<>();

  @Test
  void theDatabasesAClassMadeAreDroppedWhenItEndsAndNotBefore() throws Exception {
    MADE.clear();
    SEEN_BY_A_LATER_TEST.clear();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();

    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request().selectors(selectClass(AClass.class)).build(),
            summary);

    assertThat(summary.getSummary().getTestsFailedCount()).isZero();
    assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(4);
    assertThat(MADE).hasSize(2);
    assertThat(SEEN_BY_A_LATER_TEST).containsExactly(true, true, true);
    for (String name : MADE) {
      assertThat(exists(name)).as(name).isFalse();
    }
  }

  @Test
  void theTemplateOutlivesTheClassesCopiedFromIt() throws Exception {
    DatabaseUrl first = TestPostgres.migratedDatabase();
    TestPostgres.dropClassDatabases();

    DatabaseUrl second = TestPostgres.migratedDatabase();

    assertThat(exists(first.database())).isFalse();
    assertThat(exists(second.database())).isTrue();
  }

  @Test
  void aNestedClassIsNotATopLevelOne() {
    assertThat(ClassDatabases.isTopLevelClass(identifier(AClass.class))).isTrue();
    assertThat(ClassDatabases.isTopLevelClass(identifier(AClass.Inner.class))).isFalse();
  }

  private static TestIdentifier identifier(Class<?> type) {
    var plan =
        LauncherFactory.create()
            .discover(
                LauncherDiscoveryRequestBuilder.request().selectors(selectClass(type)).build());
    return plan.getRoots().stream()
        .flatMap(root -> plan.getDescendants(root).stream())
        .filter(
            id ->
                id.getSource()
                    .filter(s -> s instanceof ClassSource c && c.getJavaClass() == type)
                    .isPresent())
        .findFirst()
        .orElseThrow();
  }

  private static boolean exists(String database) throws SQLException {
    return AuditTables.strings(
            TestPostgres.server().superuserUrl("postgres"), "SELECT datname FROM pg_database")
        .contains(database);
  }

  /** Run by the test above, never by surefire: it is not named *Test. */
  @TestClassOrder(ClassOrderer.OrderAnnotation.class)
  static class AClass {
    static DatabaseUrl db;

    @BeforeAll
    static void makeOne() {
      db = TestPostgres.migratedDatabase();
      MADE.add(db.database());
    }

    @Test
    void first() throws Exception {
      SEEN_BY_A_LATER_TEST.add(exists(db.database()));
    }

    @Nested
    @Order(1)
    class Inner {
      @Test
      void makesAnother() {
        MADE.add(TestPostgres.emptyDatabase().database());
      }

      @Test
      void stillSeesTheOuterOne() throws Exception {
        SEEN_BY_A_LATER_TEST.add(exists(db.database()));
      }
    }

    /** After a nested class has ended. */
    @Nested
    @Order(2)
    class Later {
      @Test
      void stillSeesBoth() throws Exception {
        SEEN_BY_A_LATER_TEST.add(exists(db.database()) && exists(MADE.get(1)));
      }
    }
  }
}
