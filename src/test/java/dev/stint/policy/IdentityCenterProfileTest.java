package dev.stint.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.cloud.AccountAssignment;
import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.Cloud;
import dev.stint.testing.PolicyFixtures;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A profile may name an IAM Identity Center permission set in an account instead of a role ({@code
 * aws: {mode: identity_center, ...}}): each ARN and id is checked for its form, the permission set
 * must be the instance's, a role's keys are refused beside it, and every problem is reported at
 * once. The rest of a profile (approvals, stages, durations) reads as for any other.
 */
class IdentityCenterProfileTest {
  static final String INSTANCE = "arn:aws:sso:::instance/ssoins-0123456789abcdef";
  static final String SET =
      "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef";
  static final String REST =
      "    max_duration: 4h\n    requesters: 'true'\n"
          + "    approval:\n      stages:\n        - {name: team, count: 1, approvers: 'true'}\n"
          + "        - {name: security, count: 1, approvers: 'true'}\n";

  static String policy(String instance, String store, String account, String set, String extra) {
    return PolicyLoaderTest.ISSUER
        + "profiles:\n  prod-readonly:\n    aws:\n      mode: identity_center\n"
        + line("instance_arn", instance)
        + line("identity_store_id", store)
        + line("account_id", account)
        + line("permission_set_arn", set)
        + extra
        + REST;
  }

  private static String line(String key, String value) {
    return value == null ? "" : "      " + key + ": '" + value + "'\n";
  }

  static Stream<Arguments> refused() {
    String at = "profiles.prod-readonly.aws.";
    return Stream.of(
        Arguments.of(
            "instance ARN of another service",
            policy("arn:aws:iam::111122223333:role/x", "d-0123456789", "444455556666", SET, ""),
            at + "instance_arn: must be an IAM Identity Center instance ARN"),
        Arguments.of(
            "instance id too short",
            policy("arn:aws:sso:::instance/ssoins-0123", "d-0123456789", "444455556666", SET, ""),
            at + "instance_arn: must be an IAM Identity Center instance ARN"),
        Arguments.of(
            "permission set ARN malformed",
            policy(INSTANCE, "d-0123456789", "444455556666", SET.replace("ps-", "px-"), ""),
            at + "permission_set_arn: must be a permission set ARN"),
        Arguments.of(
            "permission set of another instance",
            policy(
                INSTANCE,
                "d-0123456789",
                "444455556666",
                SET.replace("ssoins-0123456789abcdef/", "ssoins-fedcba9876543210/"),
                ""),
            at + "permission_set_arn: is not a permission set of the instance"),
        Arguments.of(
            "permission set in another partition",
            policy(INSTANCE, "d-0123456789", "444455556666", SET.replace("aws:", "aws-cn:"), ""),
            at + "permission_set_arn: is not a permission set of the instance"),
        Arguments.of(
            "identity store id malformed",
            policy(INSTANCE, "store-1", "444455556666", SET, ""),
            at + "identity_store_id: must be an identity store id"),
        Arguments.of(
            "account id malformed",
            policy(INSTANCE, "d-0123456789", "4444-5555-6666", SET, ""),
            at + "account_id: must be a 12-digit AWS account id"),
        Arguments.of(
            "permission set name malformed",
            policy(
                INSTANCE,
                "d-0123456789",
                "444455556666",
                SET,
                "      permission_set_name: 'Read Only'\n"),
            at + "permission_set_name: must be a permission set's name"),
        Arguments.of(
            "permission set missing",
            policy(INSTANCE, "d-0123456789", "444455556666", null, ""),
            at + "permission_set_arn"),
        Arguments.of(
            "a role beside it",
            policy(
                INSTANCE,
                "d-0123456789",
                "444455556666",
                SET,
                "      role_arn: 'arn:aws:iam::111122223333:role/r'\n"),
            at + "role_arn: unknown key"),
        Arguments.of(
            "a session policy beside it",
            policy(
                INSTANCE,
                "d-0123456789",
                "444455556666",
                SET,
                "      session_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess']\n"),
            at + "session_policy_arns: unknown key"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWithAClearProblem(String name, String yaml, String expected) {
    PolicyException e =
        catchThrowableOfType(PolicyException.class, () -> PolicyFixtures.load(yaml));
    assertThat(e).as("policy should be refused").isNotNull();
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(expected));
  }

  @Test
  void everyBadFieldIsReportedAtOnce() {
    PolicyException e =
        catchThrowableOfType(
            PolicyException.class, () -> PolicyFixtures.load(policy("x", "y", "z", "w", "")));
    assertThat(e.problems())
        .hasSize(4)
        .anySatisfy(p -> assertThat(p).contains("instance_arn"))
        .anySatisfy(p -> assertThat(p).contains("identity_store_id"))
        .anySatisfy(p -> assertThat(p).contains("account_id"))
        .anySatisfy(p -> assertThat(p).contains("permission_set_arn"));
  }

  @Test
  void aGoodProfileNamesTheAssignmentAndKeepsItsApprovals() {
    Policy policy =
        PolicyFixtures.load(
            policy(INSTANCE, "d-0123456789", "444455556666", SET, "      region: eu-west-1\n"));
    Profile profile = policy.profile("prod-readonly").orElseThrow();
    AwsTarget aws = Cloud.AWS.target(profile.target()).orElseThrow();
    assertThat(aws.mode()).isEqualTo(AwsTarget.Mode.IDENTITY_CENTER);
    assertThat(profile.target().assignment())
        .contains(new AccountAssignment(INSTANCE, "d-0123456789", "444455556666", SET));
    assertThat(profile.target().region()).contains("eu-west-1");
    assertThat(profile.target().describe()).isEqualTo(SET + " in account 444455556666");
    assertThat(profile.takesSessionPolicy()).isFalse();
    assertThat(profile.approval().stages()).hasSize(2);
  }

  @Test
  void thePermissionSetsNameIsReadWhenGiven() {
    Policy policy =
        PolicyFixtures.load(
            policy(
                INSTANCE, "d-0123456789", "444455556666", SET, "      permission_set_name: Dev\n"));
    assertThat(policy.profile("prod-readonly").orElseThrow().target().assignment())
        .contains(
            new AccountAssignment(
                INSTANCE, "d-0123456789", "444455556666", SET, Optional.of("Dev")));
  }

  @Test
  void aRoleProfileHasNoAssignment() {
    Policy policy = PolicyFixtures.load(PolicyLoaderTest.profile(PolicyLoaderTest.AWS, ""));
    assertThat(policy.profile("p").orElseThrow().target().assignment()).isEqualTo(Optional.empty());
  }
}
