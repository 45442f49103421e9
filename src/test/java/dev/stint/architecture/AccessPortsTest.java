package dev.stint.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.stint.access.AccessRequest;
import dev.stint.access.AccessUseCases;
import dev.stint.access.Bundles;
import dev.stint.access.Caller;
import dev.stint.access.CallsUpFixture;
import dev.stint.access.Decisions;
import dev.stint.access.Grant;
import dev.stint.access.Grants;
import dev.stint.access.Leavers;
import dev.stint.access.NewRequest;
import dev.stint.access.NewRequest.Narrowed;
import dev.stint.access.Requests;
import dev.stint.access.RequestsInTransaction;
import dev.stint.access.Sweeps;
import dev.stint.access.VoterFacts;
import dev.stint.issuance.AccessUseCasesFixture;
import dev.stint.notify.SweepsFixture;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What other packages may reach of requests, and how {@code access} is layered inside. Each kind of
 * caller holds the one port it needs: the issuance pipeline {@link Grants}, the routes, pages and
 * notifiers {@link Requests}, {@link Decisions} and {@link Bundles}, the timers {@link Sweeps},
 * deprovisioning {@link Leavers}; only {@code app} holds the use cases whole ({@link
 * AccessUseCases}), to wire them, and no other package can name a store (they are package-private).
 * Only ports and their values leave {@code access}: few public types, fewer still imported ({@link
 * PublicFace}). Inside {@code access}, the use cases sit above the core (the decision code, the
 * sweeps, the stores, the audit events): no class of the core depends on a use case, so none hands
 * itself to a helper. Only extensions lock and change request rows in their own transaction ({@link
 * RequestsInTransaction}, which moves a grant's end without an event of its own).
 */
class AccessPortsTest {
  private static final String ROOT = "dev.stint";

  /** The use cases, above the core; every other class of {@code access} is below them. */
  static final List<String> USE_CASES =
      List.of(
          "AccessUseCases",
          "RequestDesk",
          "GrantDesk",
          "RequestFiling",
          "RequestDeciding",
          "RequestSweeps",
          "BundleRequests");

  static final ArchRule ISSUANCE_REACHES_ACCESS_THROUGH_GRANTS =
      noClasses()
          .that()
          .resideInAPackage(ROOT + ".issuance..")
          .should()
          .dependOnClassesThat(
              resideInAPackage(ROOT + ".access..")
                  .and(
                      not(
                          belongToAnyOf(
                              Grants.class,
                              Grant.class,
                              AccessRequest.class,
                              Caller.class,
                              NewRequest.class,
                              Narrowed.class))))
          .because("the pipeline asks access only what the Grants port offers");

  static final ArchRule ONLY_EXTENSIONS_CHANGE_REQUESTS_IN_THEIR_TRANSACTION =
      noClasses()
          .that()
          .resideOutsideOfPackages(ROOT + ".access..", ROOT + ".extension..")
          .should()
          .dependOnClassesThat(belongToAnyOf(RequestsInTransaction.class))
          .because("moving a grant's end is an extension's decision, audited as one");

  static final ArchRule THE_CORE_NEVER_CALLS_UP_INTO_A_USE_CASE =
      noClasses()
          .that(resideInAPackage(ROOT + ".access").and(not(useCase())))
          .should()
          .dependOnClassesThat(useCase())
          .because("the use cases ask the core; a core that asks them back makes access a hub");

  /**
   * Only ports and their values leave {@code access}: at most 25 public types, at most 20 of them
   * imported by other packages (its stores, rules and use cases stay inside).
   */
  static final PublicFace ACCESS_FACE = new PublicFace(ROOT + ".access", 25, 20);

  /**
   * Which packages may hold each port, besides {@code access} and {@code app}, which wires them.
   */
  static Stream<PortRule> ports() {
    return Stream.of(
        new PortRule(Requests.class, "http", "web", "notify", "lease", "finding", "agent"),
        new PortRule(Decisions.class, "http", "web", "notify"),
        new PortRule(Grants.class, "issuance", "http", "lease"),
        new PortRule(Sweeps.class),
        new PortRule(Leavers.class, "extension", "review"),
        new PortRule(VoterFacts.class, "extension"),
        new PortRule(Bundles.class, "http", "web", "notify"),
        new PortRule(AccessUseCases.class));
  }

  /** {@code port} may be held in {@code packages}, in {@code access} and in {@code app} only. */
  record PortRule(Class<?> port, String... packages) {
    ArchRule rule() {
      String[] allowed =
          Stream.concat(Stream.of("access", "app"), Arrays.stream(packages))
              .map(p -> ROOT + "." + p + "..")
              .toArray(String[]::new);
      return noClasses()
          .that()
          .resideOutsideOfPackages(allowed)
          .should()
          .dependOnClassesThat(belongToAnyOf(port))
          .because(
              port.getSimpleName()
                  + " is for "
                  + String.join(", ", Arrays.asList(allowed))
                  + ": each kind of caller holds the port it needs");
    }

    @Override
    public String toString() {
      return port.getSimpleName();
    }
  }

  private static DescribedPredicate<JavaClass> useCase() {
    return DescribedPredicate.describe(
        "a use case of access " + USE_CASES,
        c -> c.getPackageName().equals(ROOT + ".access") && USE_CASES.contains(outermost(c)));
  }

  private static String outermost(JavaClass c) {
    String name = c.getName().substring(c.getPackageName().length() + 1);
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }

  @Test
  void onlyExtensionsLockAndChangeRequestsInTheirOwnTransaction() {
    ONLY_EXTENSIONS_CHANGE_REQUESTS_IN_THEIR_TRANSACTION.check(main());
  }

  @Test
  void issuanceReachesAccessOnlyThroughTheGrantsPort() {
    ISSUANCE_REACHES_ACCESS_THROUGH_GRANTS.check(main());
  }

  @ParameterizedTest
  @MethodSource("ports")
  void eachPortIsHeldOnlyByTheKindOfCallerItIsFor(PortRule port) {
    port.rule().check(main());
  }

  @Test
  void accessShowsOnlyItsPortsAndTheirValues() {
    ACCESS_FACE.check(main());
  }

  @Test
  void noClassOfTheCoreDependsOnAUseCaseAboveIt() {
    THE_CORE_NEVER_CALLS_UP_INTO_A_USE_CASE.check(main());
  }

  @Test
  void everyUseCaseNamedIsAClassOfAccess() {
    JavaClasses main = main();
    for (String name : USE_CASES) {
      main.get(ROOT + ".access." + name);
    }
  }

  private static JavaClasses main() {
    return StintClasses.serverAndDevelopment();
  }

  /** The rule must catch what it exists for: an issuance class holding every use case. */
  @Test
  void anIssuanceClassHoldingEveryAccessUseCaseFailsTheCheck() {
    JavaClasses withFixture =
        new ClassFileImporter().importClasses(AccessUseCasesFixture.class, AccessUseCases.class);
    assertThatThrownBy(() -> ISSUANCE_REACHES_ACCESS_THROUGH_GRANTS.check(withFixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(AccessUseCasesFixture.class.getName())
        .hasMessageContaining(AccessUseCases.class.getName());
  }

  /** The same fixture breaks the rule that only {@code app} holds the use cases whole. */
  @Test
  void aClassOutsideAppHoldingTheUseCasesWholeFailsTheCheck() {
    JavaClasses withFixture =
        new ClassFileImporter().importClasses(AccessUseCasesFixture.class, AccessUseCases.class);
    ArchRule onlyApp = new PortRule(AccessUseCases.class).rule();
    assertThatThrownBy(() -> onlyApp.check(withFixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(AccessUseCasesFixture.class.getName());
  }

  /** A notifier running the sweeper's round breaks the rule that only the timers run it. */
  @Test
  void aNotifierRunningTheSweepsFailsTheCheck() {
    JavaClasses withFixture =
        new ClassFileImporter().importClasses(SweepsFixture.class, Sweeps.class);
    ArchRule onlyTimers = new PortRule(Sweeps.class).rule();
    assertThatThrownBy(() -> onlyTimers.check(withFixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(SweepsFixture.class.getName())
        .hasMessageContaining(Sweeps.class.getName());
  }

  /**
   * A class of another package importing one more public type of access than its cap (a test type
   * of access, beside the server's classes) breaks the rule on access's face.
   */
  @Test
  void aClassImportingOneMoreTypeOfAccessFailsTheCheck() {
    Path tests = Path.of("target/test-classes/dev/stint");
    JavaClasses withFixture =
        new ClassFileImporter()
            .importPaths(
                StintClasses.SERVER,
                tests.resolve("issuance/AccessRowsFixture.class"),
                tests.resolve("access/StoredRequests.class"));
    assertThatThrownBy(() -> ACCESS_FACE.check(withFixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("21 of them imported by other packages (at most 20)")
        .hasMessageContaining("StoredRequests=[" + ROOT + ".issuance]");
  }

  /** A class of the core deciding through a use case breaks the layering rule. */
  @Test
  void aCoreClassCallingUpIntoAUseCaseFailsTheCheck() throws ClassNotFoundException {
    JavaClasses withFixture =
        new ClassFileImporter()
            .importClasses(CallsUpFixture.class, Class.forName(ROOT + ".access.RequestDeciding"));
    assertThatThrownBy(() -> THE_CORE_NEVER_CALLS_UP_INTO_A_USE_CASE.check(withFixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(CallsUpFixture.class.getName())
        .hasMessageContaining(ROOT + ".access.RequestDeciding");
  }
}
