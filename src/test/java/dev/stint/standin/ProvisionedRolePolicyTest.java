package dev.stint.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.demo.IamStandIn;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.UnmodifiableEntityException;
import software.amazon.awssdk.services.ssoadmin.SsoAdminClient;
import software.amazon.awssdk.services.ssoadmin.model.ConflictException;
import software.amazon.awssdk.services.ssoadmin.model.CustomerManagedPolicyReference;
import software.amazon.awssdk.services.ssoadmin.model.ValidationException;

/**
 * The role IAM Identity Center provisions, as AWS keeps it, through the real SDK clients: every
 * write to it is refused ({@code UnmodifiableEntity}, HTTP 400, "this role is only modifiable by
 * AWS"), as public reports quote it (perkbox/cloud-access-bot#11, rebuy-de/aws-nuke#441 and #1028);
 * a permission set's customer managed policy references are kept and listed, and attached, from the
 * member account, to the role provisioned there; and a new default version of such a policy is what
 * the role's sessions are judged by.
 */
class ProvisionedRolePolicyTest {
  static final String ACCOUNT = SigningKeys.HOME_ACCOUNT;
  static final StaticCredentialsProvider KEYS =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create("AKIASTINTTESTKEY0001", "secretsecretsecret"));
  static final String POLICY = "arn:aws:iam::" + ACCOUNT + ":policy/stint/stint-portal-revocations";

  private final IamStandIn iam = new IamStandIn().createRole("ordinary");
  private final SsoAdminStandIn sso = new SsoAdminStandIn(Clock.systemUTC()).principals(id -> true);
  private final IamClient iamClient =
      IamClient.builder()
          .httpClient(Apache5HttpClient.create())
          .endpointOverride(iam.uri())
          .region(Region.US_EAST_1)
          .credentialsProvider(KEYS)
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
          .build();
  private final SsoAdminClient admin =
      SsoAdminClient.builder()
          .httpClient(Apache5HttpClient.create())
          .endpointOverride(sso.uri())
          .region(Region.EU_WEST_1)
          .credentialsProvider(KEYS)
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
          .build();
  private String role;

  @AfterEach
  void stop() {
    iamClient.close();
    admin.close();
    sso.close();
    iam.close();
  }

  /** A permission set referencing the policy, assigned once: its role provisioned. */
  private String provision() {
    iam.createPolicy(ACCOUNT, "/stint/", "stint-portal-revocations", INITIAL);
    String ps = sso.addPermissionSet("ReadOnly");
    admin.attachCustomerManagedPolicyReferenceToPermissionSet(
        b ->
            b.instanceArn(sso.instanceArn())
                .permissionSetArn(ps)
                .customerManagedPolicyReference(
                    r -> r.name("stint-portal-revocations").path("/stint/")));
    sso.onProvisioned((account, name, arns) -> iam.provisioned(account, name, arns));
    sso.assign(ACCOUNT, ps, "0123456789-01234567-89ab-cdef-0123-456789abcdef");
    role =
        iamClient.listRoles(b -> b.pathPrefix(SsoAdminStandIn.ROLE_PATH)).roles().get(0).roleName();
    return ps;
  }

  static final String INITIAL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\","
          + "\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":"
          + "{\"aws:TokenIssueTime\":\"2000-01-01T00:00:00Z\"}}}]}";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "PutRolePolicy",
        "DeleteRolePolicy",
        "AttachRolePolicy",
        "DetachRolePolicy",
        "UpdateAssumeRolePolicy"
      })
  void everyWriteToTheProvisionedRoleIsRefusedAsOnlyModifiableByAws(String action) {
    provision();
    Map<String, Consumer<String>> writes =
        Map.of(
            "PutRolePolicy",
            r ->
                iamClient.putRolePolicy(b -> b.roleName(r).policyName("p").policyDocument(INITIAL)),
            "DeleteRolePolicy",
            r -> iamClient.deleteRolePolicy(b -> b.roleName(r).policyName("p")),
            "AttachRolePolicy",
            r -> iamClient.attachRolePolicy(b -> b.roleName(r).policyArn(POLICY)),
            "DetachRolePolicy",
            r -> iamClient.detachRolePolicy(b -> b.roleName(r).policyArn(POLICY)),
            "UpdateAssumeRolePolicy",
            r -> iamClient.updateAssumeRolePolicy(b -> b.roleName(r).policyDocument(INITIAL)));

    assertThatThrownBy(() -> writes.get(action).accept(role))
        .isInstanceOfSatisfying(
            UnmodifiableEntityException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo(
                      "Cannot perform the operation on the protected role '"
                          + role
                          + "' - this role is only modifiable by AWS");
            });
    assertThat(iamClient.listAttachedRolePolicies(b -> b.roleName(role)).attachedPolicies())
        .as("what Identity Center attached stays")
        .extracting(AttachedPolicy::policyArn)
        .containsExactly(POLICY);
    // An ordinary role takes the same write.
    if (!action.equals("DeleteRolePolicy") && !action.equals("DetachRolePolicy")) {
      writes.get(action).accept("ordinary");
    }
  }

  @Test
  void aPermissionSetsReferencesAreKeptListedAndAttachedToTheRoleItProvisions() {
    String ps = provision();
    assertThat(
            admin
                .listCustomerManagedPolicyReferencesInPermissionSet(
                    b -> b.instanceArn(sso.instanceArn()).permissionSetArn(ps))
                .customerManagedPolicyReferences())
        .extracting(CustomerManagedPolicyReference::name, CustomerManagedPolicyReference::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("stint-portal-revocations", "/stint/"));
    assertThatThrownBy(
            () ->
                admin.attachCustomerManagedPolicyReferenceToPermissionSet(
                    b ->
                        b.instanceArn(sso.instanceArn())
                            .permissionSetArn(ps)
                            .customerManagedPolicyReference(
                                r -> r.name("stint-portal-revocations").path("/stint/"))))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(
            () ->
                admin.attachCustomerManagedPolicyReferenceToPermissionSet(
                    b ->
                        b.instanceArn(sso.instanceArn())
                            .permissionSetArn(ps)
                            .customerManagedPolicyReference(r -> r.name("no spaces").path("/"))))
        .isInstanceOf(ValidationException.class);
    assertThat(iamClient.listAttachedRolePolicies(b -> b.roleName(role)).attachedPolicies())
        .extracting(AttachedPolicy::policyArn)
        .containsExactly(POLICY);
  }

  @Test
  void theRolesSessionsAreJudgedByThePolicysNewDefaultVersionOfAtMostFive() {
    provision();
    Instant revoke = Instant.parse("2026-11-29T12:00:00Z");
    String deny =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\","
            + "\"Resource\":\"*\",\"Condition\":{\"StringLike\":{\"aws:userid\":\"*:pat\"},"
            + "\"DateLessThan\":{\"aws:TokenIssueTime\":\""
            + revoke
            + "\"}}}]}";
    IamEvaluator.Session pats =
        new IamEvaluator.Session(
            Map.of(), Optional.empty(), revoke.minusSeconds(60), Optional.of("AROAX:pat"));
    assertThat(judged(pats)).isFalse();

    iamClient.createPolicyVersion(b -> b.policyArn(POLICY).policyDocument(deny).setAsDefault(true));
    assertThat(judged(pats)).as("the new default version applies").isTrue();

    for (int i = 0; i < 3; i++) {
      iamClient.createPolicyVersion(b -> b.policyArn(POLICY).policyDocument(INITIAL));
    }
    assertThatThrownBy(
            () -> iamClient.createPolicyVersion(b -> b.policyArn(POLICY).policyDocument(deny)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("A managed policy can have up to 5 versions");
    iamClient.deletePolicyVersion(b -> b.policyArn(POLICY).versionId("v1"));
    assertThat(iamClient.listPolicyVersions(b -> b.policyArn(POLICY)).versions()).hasSize(4);
    iamClient.createPolicyVersion(
        b -> b.policyArn(POLICY).policyDocument(INITIAL).setAsDefault(true));
    assertThat(judged(pats))
        .as("the deny, a version that is no longer the default, does not apply")
        .isFalse();
  }

  private boolean judged(IamEvaluator.Session session) {
    List<String> documents = iam.documents(role);
    return documents.stream()
        .anyMatch(d -> IamEvaluator.deniesEverything(d, session, Instant.now()));
  }
}
