package dev.stint.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.stint.extension.Extended;
import dev.stint.extension.ExtendedPage;
import dev.stint.extension.Extension;
import dev.stint.extension.ExtensionCursor;
import dev.stint.extension.ExtensionLeavers;
import dev.stint.extension.ExtensionMachine;
import dev.stint.extension.ExtensionMessages;
import dev.stint.extension.ExtensionSeen;
import dev.stint.extension.ExtensionService;
import dev.stint.extension.ExtensionSweeps;
import dev.stint.extension.Extensions;
import dev.stint.extension.WaitingExtension;
import dev.stint.lease.LeaseAsks;
import dev.stint.lease.LeaseBearers;
import dev.stint.lease.LeaseMessages;
import dev.stint.lease.LeaseMints;
import dev.stint.lease.LeaseViews;
import dev.stint.lease.Leases;
import dev.stint.lease.Leasing;
import dev.stint.lease.RevokedLeases;
import dev.stint.lease.RevokesAsStint;
import dev.stint.notify.ExtensionMachineFixture;
import dev.stint.notify.ExtensionSweepsFixture;
import dev.stint.review.ReviewSweeps;
import dev.stint.review.Reviewing;
import dev.stint.review.Reviews;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who holds which port of the feature packages {@code extension}, {@code lease} and {@code review},
 * as {@link AccessPortsTest} says it of {@code access}: each kind of caller holds the port it
 * needs, and only {@code app} holds the classes that assemble them ({@link ExtensionService},
 * {@link Leases}, {@link Reviews}). Of {@code extension}, only its ports and its values leave the
 * package: nothing outside depends on the rest (its state machine, its store, its use cases),
 * whether or not Java would let it, and its store and use cases are not public.
 */
class FeaturePortsTest {
  private static final String ROOT = "dev.stint";
  private static final String EXTENSION = ROOT + ".extension";

  /** What other packages may name of {@code extension}: its ports, then its values. */
  static final List<Class<?>> EXTENSION_FACE =
      List.of(
          ExtensionService.class,
          Extensions.class,
          ExtensionMessages.class,
          ExtensionSweeps.class,
          ExtensionLeavers.class,
          Extension.class,
          ExtensionCursor.class,
          Extended.class,
          ExtendedPage.class,
          WaitingExtension.class,
          ExtensionSeen.class);

  /** The classes of {@code extension} that must not be public: its store and its use cases. */
  static final List<String> EXTENSION_INTERIOR =
      List.of(
          "ExtensionStore",
          "ExtensionAudit",
          "ExtensionNews",
          "ExtensionDesk",
          "ExtensionAsking",
          "ExtensionDeciding",
          "ExtensionReading",
          "ExtensionSweep",
          "ExtensionLeaving");

  static final ArchRule ONLY_THE_FACE_OF_EXTENSION_LEAVES_IT =
      noClasses()
          .that()
          .resideOutsideOfPackage(EXTENSION + "..")
          .should()
          .dependOnClassesThat(
              resideInAPackage(EXTENSION + "..")
                  .and(not(belongToAnyOf(EXTENSION_FACE.toArray(Class<?>[]::new)))))
          .because("extension shows its ports and its values; the rest is its own");

  /**
   * Which packages may hold each port, besides its own package and {@code app}, which wires them.
   * Slack reaches extensions through {@code app} ({@code notify} may not import {@code extension}),
   * and the timers and the directory's deprovisioning are {@code app}'s.
   */
  static Stream<PortRule> ports() {
    return Stream.of(
        new PortRule(ExtensionService.class),
        new PortRule(Extensions.class, "http", "web"),
        new PortRule(ExtensionMessages.class),
        new PortRule(ExtensionSweeps.class),
        new PortRule(ExtensionLeavers.class),
        new PortRule(Leases.class),
        new PortRule(Leasing.class, "http", "web"),
        new PortRule(LeaseViews.class, "http", "web", "finding"),
        new PortRule(LeaseBearers.class, "http"),
        new PortRule(LeaseMints.class, "issuance"),
        new PortRule(RevokedLeases.class, "revocation"),
        new PortRule(RevokesAsStint.class, "agent"),
        new PortRule(LeaseAsks.class, "agent"),
        new PortRule(LeaseMessages.class),
        new PortRule(Reviews.class),
        new PortRule(Reviewing.class, "http", "web"),
        new PortRule(ReviewSweeps.class));
  }

  /** {@code port} may be held in {@code packages}, in its own package and in {@code app} only. */
  record PortRule(Class<?> port, String... packages) {
    ArchRule rule() {
      String[] allowed =
          Stream.concat(
                  Stream.of(port.getPackageName(), ROOT + ".app"),
                  Arrays.stream(packages).map(p -> ROOT + "." + p))
              .map(p -> p + "..")
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

  @ParameterizedTest
  @MethodSource("ports")
  void eachPortIsHeldOnlyByTheKindOfCallerItIsFor(PortRule port) {
    port.rule().check(main());
  }

  @Test
  void nothingOutsideExtensionDependsOnMoreThanItsPortsAndValues() {
    ONLY_THE_FACE_OF_EXTENSION_LEAVES_IT.check(main());
  }

  @Test
  void extensionsStoreAndUseCasesAreNotPublic() {
    JavaClasses main = main();
    for (String name : EXTENSION_INTERIOR) {
      assertThat(main.get(EXTENSION + "." + name).getModifiers())
          .as(name)
          .doesNotContain(JavaModifier.PUBLIC);
    }
  }

  /** The rule must catch what it exists for: a notifier running extensions' sweep. */
  @Test
  void aNotifierRunningTheExtensionSweepsFailsTheCheck() {
    JavaClasses withFixture =
        new ClassFileImporter().importClasses(ExtensionSweepsFixture.class, ExtensionSweeps.class);
    ArchRule onlyTimers = new PortRule(ExtensionSweeps.class).rule();
    assertThatThrownBy(() -> onlyTimers.check(withFixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(ExtensionSweepsFixture.class.getName())
        .hasMessageContaining(ExtensionSweeps.class.getName());
  }

  /** A class outside deciding through extensions' state machine breaks the face rule. */
  @Test
  void aClassOutsideUsingTheExtensionMachineFailsTheCheck() {
    JavaClasses withFixture =
        new ClassFileImporter()
            .importClasses(ExtensionMachineFixture.class, ExtensionMachine.class);
    assertThatThrownBy(() -> ONLY_THE_FACE_OF_EXTENSION_LEAVES_IT.check(withFixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(ExtensionMachineFixture.class.getName())
        .hasMessageContaining(ExtensionMachine.class.getName());
  }

  private static JavaClasses main() {
    return StintClasses.serverAndDevelopment();
  }
}
