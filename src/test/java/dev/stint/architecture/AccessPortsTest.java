package dev.stint.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.stint.access.AccessRequest;
import dev.stint.access.AccessService;
import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.Grants;
import dev.stint.access.NewRequest;
import dev.stint.access.RequestsInTransaction;
import dev.stint.issuance.AccessServiceFixture;
import org.junit.jupiter.api.Test;

/**
 * What other packages may reach of requests. The issuance pipeline goes through one narrow port,
 * {@link Grants}, and the values it answers with: it cannot decide, revoke, list or sweep requests,
 * and a change to how people's requests are handled cannot reach it by another road. Only
 * extensions lock and change request rows in their own transaction ({@link RequestsInTransaction},
 * which moves a grant's end without an event of its own).
 */
class AccessPortsTest {
  private static final String ROOT = "dev.stint";

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
                              NewRequest.class))))
          .because("the pipeline asks access only what the Grants port offers");

  static final ArchRule ONLY_EXTENSIONS_CHANGE_REQUESTS_IN_THEIR_TRANSACTION =
      noClasses()
          .that()
          .resideOutsideOfPackages(ROOT + ".access..", ROOT + ".extension..")
          .should()
          .dependOnClassesThat(belongToAnyOf(RequestsInTransaction.class))
          .because("moving a grant's end is an extension's decision, audited as one");

  @Test
  void onlyExtensionsLockAndChangeRequestsInTheirOwnTransaction() {
    ONLY_EXTENSIONS_CHANGE_REQUESTS_IN_THEIR_TRANSACTION.check(main());
  }

  @Test
  void issuanceReachesAccessOnlyThroughTheGrantsPort() {
    ISSUANCE_REACHES_ACCESS_THROUGH_GRANTS.check(main());
  }

  private static JavaClasses main() {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
  }

  /** The rule must catch what it exists for: an issuance class holding the whole service. */
  @Test
  void anIssuanceClassHoldingTheAccessServiceFailsTheCheck() {
    JavaClasses withFixture =
        new ClassFileImporter().importClasses(AccessServiceFixture.class, AccessService.class);
    assertThatThrownBy(() -> ISSUANCE_REACHES_ACCESS_THROUGH_GRANTS.check(withFixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(AccessServiceFixture.class.getName())
        .hasMessageContaining(AccessService.class.getName());
  }
}
