package dev.stint.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.stint.issuance.CloudNamingFixture;
import dev.stint.policy.AwsTarget;
import dev.stint.policy.AzureTarget;
import dev.stint.policy.CloudTarget;
import dev.stint.policy.GcpTarget;
import org.junit.jupiter.api.Test;

/**
 * A cloud lives in its own package: {@code mint.<cloud>} implements {@code CloudMinter} (its
 * limits, the mint, what a revoke reaches through its {@code SessionRevoker}, its console sign-in)
 * and maps the policy's target for it, and {@code app} wires it in one line. Everything else
 * reaches a cloud only through the contract, so adding one touches no other package: {@code
 * issuance}, {@code http}, {@code access}, {@code web} and {@code revocation} name none. The
 * exceptions are named: {@code policy} defines each cloud's block of the policy file (its grammar),
 * and {@code demo} (development only) tells its AWS stand-ins which roles the demo policy names.
 */
class CloudPackagesTest {
  private static final String ROOT = "dev.stint";
  private static final String[] CLOUDS = {
    ROOT + ".mint.aws..", ROOT + ".mint.gcp..", ROOT + ".mint.azure.."
  };

  static final ArchRule ONLY_THE_CLOUD_PACKAGES_NAME_A_CLOUD =
      noClasses()
          .that()
          .resideInAPackage(ROOT + "..")
          .and()
          .resideOutsideOfPackages(
              ROOT + ".app..",
              ROOT + ".mint.aws..",
              ROOT + ".mint.gcp..",
              ROOT + ".mint.azure..",
              ROOT + ".policy..",
              ROOT + ".demo..")
          .should()
          .dependOnClassesThat(
              resideInAnyPackage(CLOUDS)
                  .or(belongToAnyOf(AwsTarget.class, GcpTarget.class, AzureTarget.class)))
          .because("a cloud is one package, mint.<cloud>, reached through CloudMinter");

  /**
   * A minter reads the profile's target and nothing else of the policy: no lifetime, no rule, no
   * grant, so it cannot decide what it mints for.
   */
  static final ArchRule MINTING_READS_ONLY_THE_TARGETS =
      noClasses()
          .that()
          .resideInAPackage(ROOT + ".mint..")
          .should()
          .dependOnClassesThat(
              resideInAPackage(ROOT + ".policy..")
                  .and(
                      not(
                          belongToAnyOf(
                              CloudTarget.class,
                              AwsTarget.class,
                              GcpTarget.class,
                              AzureTarget.class))))
          .because("mint never reads the policy beyond the target it mints for");

  @Test
  void mintingReadsNothingOfThePolicyButTheTarget() {
    MINTING_READS_ONLY_THE_TARGETS.check(main());
  }

  @Test
  void onlyTheCloudPackagesAndTheWiringNameACloud() {
    ONLY_THE_CLOUD_PACKAGES_NAME_A_CLOUD.check(main());
  }

  private static JavaClasses main() {
    return StintClasses.serverAndDevelopment();
  }

  /** The rule must catch what it exists for: issuance branching on an AWS target. */
  @Test
  void anIssuanceClassBranchingOnACloudFailsTheCheck() {
    JavaClasses withFixture =
        new ClassFileImporter().importClasses(CloudNamingFixture.class, AwsTarget.class);
    assertThatThrownBy(() -> ONLY_THE_CLOUD_PACKAGES_NAME_A_CLOUD.check(withFixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(CloudNamingFixture.class.getName())
        .hasMessageContaining(AwsTarget.class.getName());
  }
}
