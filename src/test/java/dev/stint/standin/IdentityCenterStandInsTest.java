package dev.stint.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.testing.FakeIam;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.identitystore.IdentitystoreClient;
import software.amazon.awssdk.services.identitystore.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssoadmin.SsoAdminClient;
import software.amazon.awssdk.services.ssoadmin.model.AccessDeniedException;
import software.amazon.awssdk.services.ssoadmin.model.AccountAssignment;
import software.amazon.awssdk.services.ssoadmin.model.AccountAssignmentOperationStatusMetadata;
import software.amazon.awssdk.services.ssoadmin.model.ConflictException;
import software.amazon.awssdk.services.ssoadmin.model.PrincipalType;
import software.amazon.awssdk.services.ssoadmin.model.StatusValues;
import software.amazon.awssdk.services.ssoadmin.model.TargetType;
import software.amazon.awssdk.services.ssoadmin.model.ThrottlingException;
import software.amazon.awssdk.services.ssoadmin.model.ValidationException;

/**
 * The IAM Identity Center stand-ins answer the real SDK clients as AWS does: a user found by user
 * name without regard to ASCII case, an assignment's creation and deletion in progress and then
 * done, a permission set provisioned as its role under IAM Identity Center's path (listed by the
 * IAM stand-in), and each documented refusal mapped by the SDK to its exception.
 */
class IdentityCenterStandInsTest {
  static final String MEMBER = "444455556666";
  static final StaticCredentialsProvider KEYS =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create("AKIASTINTTESTKEY0001", "secretsecretsecret"));
  static final IdentityStoreStandIn STORE = new IdentityStoreStandIn("d-0123456789");
  static final FakeIam IAM = new FakeIam();
  static final SsoAdminStandIn SSO =
      new SsoAdminStandIn(Clock.systemUTC())
          .principals(id -> true)
          .onProvisioned((account, role, policyArns) -> IAM.provisioned(account, role, policyArns));
  static final SsoAdminClient ADMIN =
      SsoAdminClient.builder()
          .httpClient(Apache5HttpClient.create())
          .endpointOverride(SSO.uri())
          .region(Region.EU_WEST_1)
          .credentialsProvider(KEYS)
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
          .build();
  static final IdentitystoreClient USERS =
      IdentitystoreClient.builder()
          .httpClient(Apache5HttpClient.create())
          .endpointOverride(STORE.uri())
          .region(Region.EU_WEST_1)
          .credentialsProvider(KEYS)
          .build();

  @AfterAll
  static void stop() {
    ADMIN.close();
    USERS.close();
    SSO.close();
    STORE.close();
    IAM.close();
  }

  @Test
  void aUserIsFoundByUserNameWhateverItsAsciiCase() {
    IdentityStoreStandIn.User alice = STORE.addUser("Alice@Example.com");
    String id =
        USERS
            .getUserId(
                b ->
                    b.identityStoreId(STORE.storeId())
                        .alternateIdentifier(
                            a ->
                                a.uniqueAttribute(
                                    u ->
                                        u.attributePath("userName")
                                            .attributeValue(
                                                Document.fromString("alice@example.COM")))))
            .userId();
    assertThat(id).isEqualTo(alice.userId());
    assertThat(
            USERS
                .listUsers(
                    b ->
                        b.identityStoreId(STORE.storeId())
                            .filters(
                                f ->
                                    f.attributePath("UserName")
                                        .attributeValue("ALICE@example.com")))
                .users())
        .singleElement()
        .satisfies(u -> assertThat(u.userName()).isEqualTo("Alice@Example.com"));
    assertThat(USERS.describeUser(b -> b.identityStoreId(STORE.storeId()).userId(id)).userName())
        .isEqualTo("Alice@Example.com");
  }

  @Test
  void noSuchUserIsResourceNotFound() {
    assertThatThrownBy(
            () ->
                USERS.getUserId(
                    b ->
                        b.identityStoreId(STORE.storeId())
                            .alternateIdentifier(
                                a ->
                                    a.uniqueAttribute(
                                        u ->
                                            u.attributePath("userName")
                                                .attributeValue(
                                                    Document.fromString("nobody@example.com"))))))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class,
            e -> assertThat(e.resourceTypeAsString()).isEqualTo("USER"));
  }

  @Test
  void anAssignmentIsMadeAndRemovedAsynchronouslyAndItsRoleListed() {
    String ps = SSO.addPermissionSet("ReadOnly");
    String user = STORE.addUser("bob@example.com").userId();
    var created =
        ADMIN
            .createAccountAssignment(
                b ->
                    b.instanceArn(SSO.instanceArn())
                        .targetId(MEMBER)
                        .targetType(TargetType.AWS_ACCOUNT)
                        .permissionSetArn(ps)
                        .principalType(PrincipalType.USER)
                        .principalId(user))
            .accountAssignmentCreationStatus();
    assertThat(created.status()).isEqualTo(StatusValues.IN_PROGRESS);
    assertThat(creation(created.requestId())).isEqualTo(StatusValues.IN_PROGRESS);
    assertThat(creation(created.requestId())).isEqualTo(StatusValues.SUCCEEDED);
    assertThat(
            ADMIN
                .listAccountAssignments(
                    b -> b.instanceArn(SSO.instanceArn()).accountId(MEMBER).permissionSetArn(ps))
                .accountAssignments())
        .extracting(AccountAssignment::principalId)
        .containsExactly(user);
    assertThat(
            ADMIN
                .describePermissionSet(b -> b.instanceArn(SSO.instanceArn()).permissionSetArn(ps))
                .permissionSet()
                .name())
        .isEqualTo("ReadOnly");
    assertThat(provisionedRoles())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.roleName()).startsWith("AWSReservedSSO_ReadOnly_");
              assertThat(r.path()).isEqualTo(SsoAdminStandIn.ROLE_PATH);
            });
    var deleted =
        ADMIN
            .deleteAccountAssignment(
                b ->
                    b.instanceArn(SSO.instanceArn())
                        .targetId(MEMBER)
                        .targetType(TargetType.AWS_ACCOUNT)
                        .permissionSetArn(ps)
                        .principalType(PrincipalType.USER)
                        .principalId(user))
            .accountAssignmentDeletionStatus();
    assertThat(deleted.status()).isEqualTo(StatusValues.IN_PROGRESS);
    String id = deleted.requestId();
    ADMIN.describeAccountAssignmentDeletionStatus(
        b -> b.instanceArn(SSO.instanceArn()).accountAssignmentDeletionRequestId(id));
    assertThat(
            ADMIN
                .describeAccountAssignmentDeletionStatus(
                    b -> b.instanceArn(SSO.instanceArn()).accountAssignmentDeletionRequestId(id))
                .accountAssignmentDeletionStatus()
                .status())
        .isEqualTo(StatusValues.SUCCEEDED);
    assertThat(SSO.assignments()).isEmpty();
  }

  @Test
  void anUnknownPrincipalFailsItsCreationWithAReason() {
    String ps = SSO.addPermissionSet("Admin");
    SSO.principals(id -> false);
    try {
      String request =
          ADMIN
              .createAccountAssignment(
                  b ->
                      b.instanceArn(SSO.instanceArn())
                          .targetId(MEMBER)
                          .targetType(TargetType.AWS_ACCOUNT)
                          .permissionSetArn(ps)
                          .principalType(PrincipalType.USER)
                          .principalId("11111111-2222-3333-4444-555555555555"))
              .accountAssignmentCreationStatus()
              .requestId();
      creation(request);
      var status =
          ADMIN
              .describeAccountAssignmentCreationStatus(
                  b -> b.instanceArn(SSO.instanceArn()).accountAssignmentCreationRequestId(request))
              .accountAssignmentCreationStatus();
      assertThat(status.status()).isEqualTo(StatusValues.FAILED);
      assertThat(status.failureReason()).contains("does not exist");
    } finally {
      SSO.principals(id -> true);
    }
  }

  @Test
  void theDocumentedRefusalsReachTheSdkAsTheirExceptions() {
    String ps = SSO.addPermissionSet("Ops");
    SSO.failNext("ThrottlingException");
    assertThatThrownBy(() -> list(ps)).isInstanceOf(ThrottlingException.class);
    SSO.failNext("ConflictException");
    assertThatThrownBy(() -> list(ps)).isInstanceOf(ConflictException.class);
    SSO.failNext("AccessDeniedException");
    assertThatThrownBy(() -> list(ps)).isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> list(ps.replace("ps-", "px-")))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(
            () ->
                ADMIN.describePermissionSet(
                    b ->
                        b.instanceArn(SSO.instanceArn())
                            .permissionSetArn(ps.substring(0, ps.length() - 4) + "0000")))
        .isInstanceOf(
            software.amazon.awssdk.services.ssoadmin.model.ResourceNotFoundException.class);
  }

  private static List<AccountAssignment> list(String ps) {
    return ADMIN
        .listAccountAssignments(
            b -> b.instanceArn(SSO.instanceArn()).accountId(MEMBER).permissionSetArn(ps))
        .accountAssignments();
  }

  private static StatusValues creation(String requestId) {
    return ADMIN
        .describeAccountAssignmentCreationStatus(
            b -> b.instanceArn(SSO.instanceArn()).accountAssignmentCreationRequestId(requestId))
        .accountAssignmentCreationStatus()
        .status();
  }

  private static List<Role> provisionedRoles() {
    try (IamClient iam =
        IamClient.builder()
            .httpClient(Apache5HttpClient.create())
            .endpointOverride(IAM.uri())
            .region(Region.US_EAST_1)
            .credentialsProvider(KEYS)
            .build()) {
      IAM.signedBy(key -> Optional.of(new SigningKeys.SessionKey(key, "", MEMBER)));
      return iam.listRoles(b -> b.pathPrefix(SsoAdminStandIn.ROLE_PATH)).roles();
    }
  }

  @Test
  void creationRequestsAreListedByStatusAndDescribedOneByOne() {
    // An instance of its own: the shared one's assignments and roles are other tests' to count.
    try (SsoAdminStandIn sso = new SsoAdminStandIn(Clock.systemUTC()).principals(id -> true);
        SsoAdminClient admin =
            SsoAdminClient.builder()
                .httpClient(Apache5HttpClient.create())
                .endpointOverride(sso.uri())
                .region(Region.EU_WEST_1)
                .credentialsProvider(KEYS)
                .build()) {
      listsCreations(sso, admin);
    }
  }

  private static void listsCreations(SsoAdminStandIn sso, SsoAdminClient admin) {
    String ps = sso.addPermissionSet("Auditor");
    String user = STORE.addUser("carol@example.com").userId();
    String made =
        admin
            .createAccountAssignment(
                b ->
                    b.instanceArn(sso.instanceArn())
                        .targetId(MEMBER)
                        .targetType(TargetType.AWS_ACCOUNT)
                        .permissionSetArn(ps)
                        .principalType(PrincipalType.USER)
                        .principalId(user))
            .accountAssignmentCreationStatus()
            .requestId();

    var inProgress =
        admin
            .listAccountAssignmentCreationStatusPaginator(
                b ->
                    b.instanceArn(sso.instanceArn())
                        .maxResults(1)
                        .filter(f -> f.status(StatusValues.IN_PROGRESS)))
            .accountAssignmentsCreationStatus()
            .stream()
            .toList();
    assertThat(inProgress)
        .extracting(AccountAssignmentOperationStatusMetadata::requestId)
        .contains(made);
    assertThat(inProgress)
        .allSatisfy(m -> assertThat(m.status()).isEqualTo(StatusValues.IN_PROGRESS));
    var described =
        admin
            .describeAccountAssignmentCreationStatus(
                b -> b.instanceArn(sso.instanceArn()).accountAssignmentCreationRequestId(made))
            .accountAssignmentCreationStatus();
    assertThat(described.permissionSetArn()).isEqualTo(ps);
    assertThat(described.principalId()).isEqualTo(user);

    sso.requests().settle();
    assertThat(
            admin
                .listAccountAssignmentCreationStatusPaginator(
                    b ->
                        b.instanceArn(sso.instanceArn())
                            .filter(f -> f.status(StatusValues.IN_PROGRESS)))
                .accountAssignmentsCreationStatus()
                .stream()
                .map(AccountAssignmentOperationStatusMetadata::requestId))
        .doesNotContain(made);
    assertThat(
            admin
                .listAccountAssignmentCreationStatus(
                    b ->
                        b.instanceArn(sso.instanceArn())
                            .filter(f -> f.status(StatusValues.SUCCEEDED)))
                .accountAssignmentsCreationStatus())
        .extracting(AccountAssignmentOperationStatusMetadata::requestId)
        .contains(made);
  }
}
