package dev.stint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.policy.PolicyException;
import dev.stint.policy.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's start-up step for the policies, without a server: a policy whose conditions do not
 * type-check stops start-up with every problem named, as any other invalid policy does.
 */
class BootPoliciesTest {
  @TempDir Path dir;

  static final String PROFILE =
      """
      profiles:
        aws-prod-admin:
          aws: {role_arn: "arn:aws:iam::111122223333:role/prod-admin"}
          max_duration: 1h
          requesters: 'principal.groups == "sre"'
          approval: {count: 1, approvers: 'principal.group.exists(g, g == "sre")'}
      """;

  @Test
  void aTypeErrorStopsStartUpListingEveryProblem() throws Exception {
    Files.writeString(dir.resolve("prod.yaml"), PROFILE);
    StartupException e =
        catchThrowableOfType(
            StartupException.class,
            () -> BootSteps.policies(dir, new PolicyLoader(Duration.ofHours(24))));
    assertThat(e).as("start-up must be refused").isNotNull();
    assertThat(e.getMessage())
        .startsWith("policies: 2 policy problems: ")
        .contains(
            dir.resolve("prod.yaml")
                + ": profiles.aws-prod-admin.requesters: CEL: found no matching overload for '_==_'",
            dir.resolve("prod.yaml")
                + ": profiles.aws-prod-admin.approval.approvers: CEL: undefined field 'group'");
    assertThat(((PolicyException) e.getCause()).problems()).hasSize(2);
  }

  @Test
  void aWellTypedPolicyStarts() throws Exception {
    Files.writeString(
        dir.resolve("prod.yaml"),
        PROFILE
            .replace("principal.groups == \"sre\"", "\"sre\" in principal.groups")
            .replace("principal.group.exists", "principal.groups.exists"));
    assertThat(
            BootSteps.policies(dir, new PolicyLoader(Duration.ofHours(24)))
                .profile("aws-prod-admin"))
        .isPresent();
  }
}
