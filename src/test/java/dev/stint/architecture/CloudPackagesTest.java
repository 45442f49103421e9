package dev.stint.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.AzureTarget;
import dev.stint.cloud.GcpTarget;
import dev.stint.issuance.CloudNamingFixture;
import dev.stint.mint.PolicyReadingFixture;
import org.junit.jupiter.api.Test;

/**
 * A cloud lives in its own package: {@code mint.<cloud>} implements {@code CloudMinter} (its
 * limits, the mint, what a revoke reaches through its {@code SessionRevoker}, its console sign-in)
 * and maps the policy's target for it, and {@code app} wires it in one line. Everything else
 * reaches a cloud only through the contract, so adding one touches no other package: {@code
 * issuance}, {@code http}, {@code access}, {@code web} and {@code revocation} name none. The
 * exceptions are named: {@code cloud} holds each cloud's record of what it mints on, {@code policy}
 * defines each cloud's block of the policy file (its grammar), and {@code demo} (development only)
 * tells its AWS stand-ins which roles the demo policy names.
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
              ROOT + ".cloud..",
              ROOT + ".policy..",
              ROOT + ".demo..")
          .should()
          .dependOnClassesThat(
              resideInAnyPackage(CLOUDS)
                  .or(belongToAnyOf(AwsTarget.class, GcpTarget.class, AzureTarget.class)))
          .because("a cloud is one package, mint.<cloud>, reached through CloudMinter");

  /**
   * A minter is handed the profile's target ({@code cloud}) and nothing of the policy: no lifetime,
   * no rule, no grant, so it cannot decide what it mints for.
   */
  static final ArchRule MINTING_READS_NOTHING_OF_THE_POLICY =
      noClasses()
          .that()
          .resideInAPackage(ROOT + ".mint..")
          .should()
          .dependOnClassesThat(resideInAPackage(ROOT + ".policy.."))
          .because("mint is handed the target it mints on, never the policy");

  @Test
  void mintingReadsNothingOfThePolicy() {
    MINTING_READS_NOTHING_OF_THE_POLICY.check(main());
  }

  /** The rule must catch what it exists for: a minter reading a profile's lifetime. */
  @Test
  void aMintClassReadingThePolicyFailsTheCheck() {
    JavaClasses withFixture = new ClassFileImporter().importClasses(PolicyReadingFixture.class);
    assertThatThrownBy(() -> MINTING_READS_NOTHING_OF_THE_POLICY.check(withFixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(PolicyReadingFixture.class.getName());
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
