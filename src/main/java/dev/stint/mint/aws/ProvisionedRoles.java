package dev.stint.mint.aws;

import dev.stint.cloud.AccountAssignment;
import dev.stint.error.ErrorCode;
import dev.stint.mint.Assigner.Role;
import dev.stint.mint.MintException;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ListRolesRequest;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.ssoadmin.SsoAdminClient;
import software.amazon.awssdk.services.ssoadmin.model.PermissionSet;
import software.amazon.awssdk.services.ssoadmin.model.ThrottlingException;

/**
 * Finds the role IAM Identity Center provisioned for a permission set in a member account, whose
 * sessions the access portal and {@code aws sso login} hand out: the permission set's name from SSO
 * Admin (with stint's own identity, in the management or delegated administrator account), then the
 * account's roles under {@link #PATH} from IAM, reached as a revocation reaches any role's account
 * ({@link AwsAccounts}: stint's own identity there, or its broker role). Blocking: run on the cloud
 * pool.
 */
final class ProvisionedRoles {
  /** Where Identity Center puts the roles it provisions. */
  static final String PATH = "/aws-reserved/sso.amazonaws.com/";

  /** After the permission set's name, Identity Center's suffix of its own. */
  private static final Pattern SUFFIX = Pattern.compile("[0-9A-Fa-f]+");

  private final SsoAdminClient admin;
  private final AwsClients clients;

  ProvisionedRoles(SsoAdminClient admin, AwsClients clients) {
    this.admin = admin;
    this.clients = clients;
  }

  /** The permission set's role in the account; a lasting failure when there is none. */
  Role find(AccountAssignment at) {
    Located found = locate(at);
    return found
        .role()
        .map(r -> new Role(r.arn(), PortalPolicy.arnFor(r.arn())))
        .orElseThrow(
            () ->
                failure(
                    ErrorCode.NOT_FOUND,
                    at,
                    "no role "
                        + found.prefix()
                        + "* under "
                        + PATH
                        + " (was the permission set provisioned to the account?)",
                    false,
                    null));
  }

  /**
   * Why a revoke could not end the sessions of the permission set's role already in the account:
   * Identity Center attaches the policies a permission set references only when it provisions the
   * role, so one provisioned before the permission set referenced {@link PortalPolicy#REFERENCE},
   * and not provisioned again since, lacks it, and a deny written there binds none of its sessions
   * (an assignment does not provision again a permission set already provisioned). Empty when the
   * role has the policy attached, or when the account holds no role of the permission set yet: the
   * assignment provisions it from the permission set as it is now.
   */
  Optional<String> stale(AccountAssignment at) {
    Located found = locate(at);
    if (found.role().isEmpty()) {
      return Optional.empty();
    }
    // qualified: IAM's role, beside the Assigner's Role this class answers with
    software.amazon.awssdk.services.iam.model.Role role = found.role().get();
    boolean attached;
    try {
      attached = attached(found.iam(), role.roleName(), PortalPolicy.arnFor(role.arn()));
    } catch (NoSuchEntityException e) {
      // Removed since it was listed (its last assignment deleted): the assignment provisions anew.
      return Optional.empty();
    } catch (SdkException e) {
      throw iamFailure(at, "ListAttachedRolePolicies", e);
    }
    return attached
        ? Optional.empty()
        : Optional.of(
            "the role "
                + role.roleName()
                + " of permission set "
                + at.permissionSetName().orElse(at.permissionSetArn())
                + " in AWS account "
                + at.accountId()
                + " was provisioned without the customer managed policy "
                + PortalPolicy.REFERENCE
                + " attached, so a revoke could not end its sessions; re-provision the"
                + " permission set to the account (ProvisionPermissionSet, docs/clouds.md)");
  }

  /**
   * Whether IAM lists {@code policyArn} among the managed policies attached to role {@code name}.
   */
  static boolean attached(IamClient iam, String name, String policyArn) {
    return iam.listAttachedRolePoliciesPaginator(b -> b.roleName(name)).attachedPolicies().stream()
        .anyMatch(p -> policyArn.equals(p.policyArn()));
  }

  /** The account's IAM, and the permission set's role there if it holds one. */
  private record Located(
      IamClient iam,
      String prefix,
      // qualified: IAM's role, beside the Assigner's Role this class answers with
      Optional<software.amazon.awssdk.services.iam.model.Role> role) {}

  private Located locate(AccountAssignment at) {
    PermissionSet set = permissionSet(at);
    String prefix = "AWSReservedSSO_" + set.name() + "_";
    // A placeholder role ARN of the account: AwsAccounts reaches accounts by their roles' ARNs.
    String inAccount = "arn:" + at.partition() + ":iam::" + at.accountId() + ":role/stint";
    AwsAccounts.Reach reach;
    try {
      reach = clients.accounts().reachNow(inAccount);
    } catch (SdkException e) {
      throw failure(at, "AWS STS would not say which account stint's own identity is in", true, e);
    }
    if (reach instanceof AwsAccounts.Reach.Unreachable u) {
      throw AwsAccounts.unreachable(u, reason -> failure(at, reason, false, null));
    }
    IamClient iam = clients.iam(reach);
    try {
      return new Located(
          iam,
          prefix,
          iam
              .listRolesPaginator(ListRolesRequest.builder().pathPrefix(PATH).build())
              .roles()
              .stream()
              .filter(r -> r.roleName().startsWith(prefix))
              .filter(r -> SUFFIX.matcher(r.roleName().substring(prefix.length())).matches())
              .findFirst());
    } catch (SdkException e) {
      throw iamFailure(at, "ListRoles", e);
    }
  }

  /**
   * IAM's failure of {@code call} in the member account: retryable, or stint's rights; said as a
   * failure to find the role ({@code ListRoles}) or to check what is attached to the one found.
   */
  private static MintException iamFailure(AccountAssignment at, String call, SdkException e) {
    MintException mapped = AwsErrors.map("IAM " + call, at.describe(), e);
    boolean listing = call.equals("ListRoles");
    String reason =
        mapped.retryable()
            ? "AWS IAM is unavailable"
            : "AWS IAM refused to "
                + (listing
                    ? "list the account's roles"
                    : "list the managed policies attached to the role")
                + " (stint needs iam:"
                + call
                + " there)";
    if (listing) {
      return failure(at, reason, mapped.retryable(), e);
    }
    return new MintException(
        mapped.retryable() ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.INTERNAL,
        "could not check the policies attached to the role of permission set "
            + at.permissionSetArn()
            + " in AWS account "
            + at.accountId()
            + ": "
            + reason,
        mapped.retryable(),
        e);
  }

  private PermissionSet permissionSet(AccountAssignment at) {
    try {
      return admin
          .describePermissionSet(
              b -> b.instanceArn(at.instanceArn()).permissionSetArn(at.permissionSetArn()))
          .permissionSet();
    } catch (ThrottlingException e) {
      throw failure(at, "AWS IAM Identity Center is throttling stint", true, e);
    } catch (SdkException e) {
      MintException mapped = AwsErrors.map("SSO Admin DescribePermissionSet", at.describe(), e);
      throw failure(
          at,
          mapped.retryable()
              ? "AWS IAM Identity Center is unavailable"
              : "SSO Admin would not describe the permission set",
          mapped.retryable(),
          e);
    }
  }

  private static MintException failure(
      AccountAssignment at, String reason, boolean retryable, Throwable cause) {
    return failure(
        retryable ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.INTERNAL,
        at,
        reason,
        retryable,
        cause);
  }

  /**
   * {@code NOT_FOUND} says the account holds no such role: Identity Center removes it once the
   * permission set's last assignment there is deleted, and its sessions end with it.
   */
  private static MintException failure(
      ErrorCode code, AccountAssignment at, String reason, boolean retryable, Throwable cause) {
    return new MintException(
        code,
        "could not find the role of permission set "
            + at.permissionSetArn()
            + " in AWS account "
            + at.accountId()
            + ": "
            + reason,
        retryable,
        cause);
  }
}
