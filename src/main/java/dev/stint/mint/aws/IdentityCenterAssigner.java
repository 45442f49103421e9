package dev.stint.mint.aws;

import dev.stint.cloud.AccountAssignment;
import dev.stint.mint.Assigner;
import dev.stint.mint.Blocking;
import dev.stint.mint.MintException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.identitystore.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssoadmin.model.AccountAssignmentOperationStatus;
import software.amazon.awssdk.services.ssoadmin.model.ConflictException;
import software.amazon.awssdk.services.ssoadmin.model.PrincipalType;
import software.amazon.awssdk.services.ssoadmin.model.StatusValues;
import software.amazon.awssdk.services.ssoadmin.model.TargetType;
import software.amazon.awssdk.services.ssoadmin.model.ThrottlingException;

/**
 * IAM Identity Center's account assignments through SSO Admin, and users through the identity
 * store, with stint's own AWS identity (in the management account or a delegated administrator), in
 * the instance's home region: the configured one for an assignment made now, the one an assignment
 * recorded for every later call about it ({@link #at}). Every call runs through {@link Blocking}; a
 * throttle, a conflicting operation in progress or an outage is a retryable {@link MintException},
 * a refusal of stint's rights a lasting one, and AWS's messages are cut to their code before anyone
 * sees them.
 */
public final class IdentityCenterAssigner implements Assigner, AutoCloseable {
  private static final String SERVICE = "AWS IAM Identity Center";

  private final Endpoints home;
  private final DirectoryClients clients;
  private final Executor executor;

  /** Every home reached so far, this one included: each one's clients are built once. */
  private final Map<Endpoints, IdentityCenterAssigner> homes;

  private final Function<Endpoints, DirectoryClients> build;

  /**
   * @param endpoints where an assignment made now goes (and records); {@link #at} reaches others
   * @param iam reaches the member accounts' IAM, as revocations do, to find the roles Identity
   *     Center provisioned there
   */
  public IdentityCenterAssigner(
      Endpoints endpoints,
      SdkHttpClient http,
      AwsCredentialsProvider credentials,
      Executor executor,
      AwsClients iam) {
    this(
        endpoints,
        executor,
        new ConcurrentHashMap<>(),
        e -> DirectoryClients.of(e, http, credentials, iam));
    homes.put(endpoints, this);
  }

  private IdentityCenterAssigner(
      Endpoints home,
      Executor executor,
      Map<Endpoints, IdentityCenterAssigner> homes,
      Function<Endpoints, DirectoryClients> build) {
    this.home = home;
    this.clients = build.apply(home);
    this.executor = executor;
    this.homes = homes;
    this.build = build;
  }

  /**
   * With stint's own AWS identity (the SDK's default chain, resolved at the first call), in {@code
   * region} (else the SDK's, as for STS), at each endpoint given or AWS's own; member accounts' IAM
   * through {@code iam}.
   */
  public IdentityCenterAssigner(
      Optional<String> region,
      Optional<URI> ssoAdmin,
      Optional<URI> identityStore,
      Executor executor,
      AwsClients iam) {
    this(
        new Endpoints(AwsClients.region(region).id(), ssoAdmin, identityStore),
        Apache5HttpClient.create(),
        DefaultCredentialsProvider.builder().build(),
        executor,
        iam);
  }

  @Override
  public Endpoints endpoints() {
    return home;
  }

  /** The assigner of {@code endpoints}: this one, or one sharing its credentials and executor. */
  @Override
  public Assigner at(Endpoints endpoints) {
    return homes.computeIfAbsent(
        endpoints, e -> new IdentityCenterAssigner(e, executor, homes, build));
  }

  @Override
  public CompletableFuture<Optional<User>> user(AccountAssignment at, String userName) {
    return call(
        () -> {
          try {
            String id =
                clients
                    .store()
                    .getUserId(
                        b ->
                            b.identityStoreId(at.identityStoreId())
                                .alternateIdentifier(
                                    i ->
                                        i.uniqueAttribute(
                                            u ->
                                                u.attributePath("userName")
                                                    .attributeValue(
                                                        Document.fromString(userName)))))
                    .userId();
            // The directory's own spelling of the name, which its sessions carry.
            String named =
                clients
                    .store()
                    .describeUser(b -> b.identityStoreId(at.identityStoreId()).userId(id))
                    .userName();
            return Optional.of(new User(id, named));
          } catch (ResourceNotFoundException e) {
            return Optional.empty();
          }
        });
  }

  @Override
  public CompletableFuture<Boolean> assigned(AccountAssignment at, String userId) {
    return call(
        () ->
            clients
                .admin()
                .listAccountAssignmentsPaginator(
                    b ->
                        b.instanceArn(at.instanceArn())
                            .accountId(at.accountId())
                            .permissionSetArn(at.permissionSetArn()))
                .accountAssignments()
                .stream()
                .anyMatch(
                    a ->
                        a.principalType() == PrincipalType.USER && userId.equals(a.principalId())));
  }

  @Override
  public CompletableFuture<Step> create(AccountAssignment at, String userId) {
    return call(
        () ->
            step(
                clients
                    .admin()
                    .createAccountAssignment(
                        b ->
                            b.instanceArn(at.instanceArn())
                                .targetId(at.accountId())
                                .targetType(TargetType.AWS_ACCOUNT)
                                .permissionSetArn(at.permissionSetArn())
                                .principalType(PrincipalType.USER)
                                .principalId(userId))
                    .accountAssignmentCreationStatus()));
  }

  /**
   * AWS lists creation requests by id and status only, for the whole instance: each one in progress
   * is described to learn whose assignment it makes (one that finishes meanwhile is listed by
   * {@link #assigned} instead).
   */
  @Override
  public CompletableFuture<Boolean> creating(AccountAssignment at, String userId) {
    return call(
        () ->
            clients
                .admin()
                .listAccountAssignmentCreationStatusPaginator(
                    b ->
                        b.instanceArn(at.instanceArn())
                            .filter(f -> f.status(StatusValues.IN_PROGRESS)))
                .accountAssignmentsCreationStatus()
                .stream()
                .map(
                    m ->
                        clients
                            .admin()
                            .describeAccountAssignmentCreationStatus(
                                b ->
                                    b.instanceArn(at.instanceArn())
                                        .accountAssignmentCreationRequestId(m.requestId()))
                            .accountAssignmentCreationStatus())
                .anyMatch(
                    s ->
                        s.status() == StatusValues.IN_PROGRESS
                            && at.accountId().equals(s.targetId())
                            && at.permissionSetArn().equals(s.permissionSetArn())
                            && s.principalType() == PrincipalType.USER
                            && userId.equals(s.principalId())));
  }

  @Override
  public CompletableFuture<Step> creation(AccountAssignment at, String requestId) {
    return call(
        () ->
            step(
                clients
                    .admin()
                    .describeAccountAssignmentCreationStatus(
                        b ->
                            b.instanceArn(at.instanceArn())
                                .accountAssignmentCreationRequestId(requestId))
                    .accountAssignmentCreationStatus()));
  }

  @Override
  public CompletableFuture<Step> delete(AccountAssignment at, String userId) {
    return call(
        () ->
            step(
                clients
                    .admin()
                    .deleteAccountAssignment(
                        b ->
                            b.instanceArn(at.instanceArn())
                                .targetId(at.accountId())
                                .targetType(TargetType.AWS_ACCOUNT)
                                .permissionSetArn(at.permissionSetArn())
                                .principalType(PrincipalType.USER)
                                .principalId(userId))
                    .accountAssignmentDeletionStatus()));
  }

  @Override
  public CompletableFuture<Step> deletion(AccountAssignment at, String requestId) {
    return call(
        () ->
            step(
                clients
                    .admin()
                    .describeAccountAssignmentDeletionStatus(
                        b ->
                            b.instanceArn(at.instanceArn())
                                .accountAssignmentDeletionRequestId(requestId))
                    .accountAssignmentDeletionStatus()));
  }

  /**
   * Whether the permission set references stint's portal revocation policy ({@link
   * PortalPolicy#REFERENCE}) among its customer managed policies: only then does Identity Center
   * attach it to the role it provisions, and only there can a revoke deny the role's sessions; and
   * whether the role already in the account has it attached ({@link ProvisionedRoles#stale}: one
   * provisioned before the reference was added keeps its policies until provisioned again). Without
   * IAM the role cannot be looked at, and the assignment is refused as a lasting failure.
   */
  @Override
  public CompletableFuture<Optional<String>> unrevocable(AccountAssignment at) {
    return call(
        () -> {
          boolean referenced =
              clients
                  .admin()
                  .listCustomerManagedPolicyReferencesInPermissionSetPaginator(
                      b -> b.instanceArn(at.instanceArn()).permissionSetArn(at.permissionSetArn()))
                  .customerManagedPolicyReferences()
                  .stream()
                  .anyMatch(
                      r ->
                          PortalPolicy.NAME.equals(r.name())
                              && PortalPolicy.PATH.equals(r.path() == null ? "/" : r.path()));
          if (!referenced) {
            return Optional.of(
                "permission set "
                    + at.permissionSetName().orElse(at.permissionSetArn())
                    + " does not reference the customer managed policy "
                    + PortalPolicy.REFERENCE
                    + ", so a revoke could not end its sessions; attach it (docs/clouds.md)");
          }
          // Its own failures are already MintExceptions, in the role's words.
          return clients.roles().stale(at);
        });
  }

  @Override
  public CompletableFuture<Role> role(AccountAssignment at) {
    // Its own failures are already MintExceptions, in the role's words.
    return Blocking.supply(
        executor,
        () -> clients.roles().find(at),
        busy -> MintException.unavailable(SERVICE, "(provisioned role)", busy));
  }

  private static Step step(AccountAssignmentOperationStatus s) {
    State state =
        switch (s.statusAsString()) {
          case "SUCCEEDED" -> State.SUCCEEDED;
          case "FAILED" -> State.FAILED;
          default -> State.IN_PROGRESS;
        };
    return new Step(s.requestId(), state, Optional.ofNullable(s.failureReason()));
  }

  private <T> CompletableFuture<T> call(Supplier<T> work) {
    return Blocking.<T>supply(
        executor,
        () -> {
          try {
            return work.get();
          } catch (ThrottlingException | ConflictException e) {
            // A throttle, or another change of the same assignment still in progress: later.
            throw MintException.unavailable(SERVICE, "an account assignment", e);
          } catch (SdkException e) {
            throw AwsErrors.map("SSO Admin", "an account assignment", e);
          }
        },
        busy -> MintException.unavailable(SERVICE, "(assignment)", busy));
  }

  @Override
  public void close() {
    homes.values().forEach(a -> a.clients.close());
  }
}
