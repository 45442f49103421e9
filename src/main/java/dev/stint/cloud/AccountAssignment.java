package dev.stint.cloud;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a grant whose access is a directory's assignment (IAM Identity Center's account assignment)
 * is made: the Identity Center instance, its identity store, the account and the permission set.
 * The grant is the assignment: it is created for the person's user when the grant starts and
 * deleted when it ends, and nothing is minted. Each ARN and id is checked at construction against
 * the form the SSO Admin and Identity Store APIs take, and the permission set must be the
 * instance's. The permission set's name, when the policy gives it, is only for people's tools: the
 * portal's and {@code aws sso}'s role name ({@code sso_role_name}); the ARN is what stint acts on.
 */
public record AccountAssignment(
    String instanceArn,
    String identityStoreId,
    String accountId,
    String permissionSetArn,
    Optional<String> permissionSetName) {
  private static final String PARTITIONS = "(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b)";

  /** SSO Admin's pattern for an instance ARN. */
  public static final Pattern INSTANCE_ARN =
      Pattern.compile("arn:" + PARTITIONS + ":sso:::instance/((sso)?ins-[a-zA-Z0-9-.]{16})");

  /** SSO Admin's pattern for a permission set ARN: the instance's id, then the set's own. */
  public static final Pattern PERMISSION_SET_ARN =
      Pattern.compile(
          "arn:"
              + PARTITIONS
              + ":sso:::permissionSet/((sso)?ins-[a-zA-Z0-9-.]{16})/ps-[a-zA-Z0-9-./]{16}");

  /** Identity Store's pattern for a store id. */
  public static final Pattern IDENTITY_STORE_ID =
      Pattern.compile(
          "d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  public static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

  /** SSO Admin's pattern for a permission set's name. */
  public static final Pattern PERMISSION_SET_NAME = Pattern.compile("[\\w+=,.@-]{1,32}");

  /** An assignment whose permission set's name the policy does not give. */
  public AccountAssignment(
      String instanceArn, String identityStoreId, String accountId, String permissionSetArn) {
    this(instanceArn, identityStoreId, accountId, permissionSetArn, Optional.empty());
  }

  public AccountAssignment {
    Objects.requireNonNull(instanceArn, "instanceArn");
    Objects.requireNonNull(identityStoreId, "identityStoreId");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(permissionSetArn, "permissionSetArn");
    Objects.requireNonNull(permissionSetName, "permissionSetName");
    if (permissionSetName.isPresent()
        && !PERMISSION_SET_NAME.matcher(permissionSetName.get()).matches()) {
      throw new IllegalArgumentException("not a permission set name: " + permissionSetName.get());
    }
    var instance = INSTANCE_ARN.matcher(instanceArn);
    var set = PERMISSION_SET_ARN.matcher(permissionSetArn);
    if (!instance.matches()) {
      throw new IllegalArgumentException("not an Identity Center instance ARN: " + instanceArn);
    }
    if (!set.matches()) {
      throw new IllegalArgumentException("not a permission set ARN: " + permissionSetArn);
    }
    if (!IDENTITY_STORE_ID.matcher(identityStoreId).matches()) {
      throw new IllegalArgumentException("not an identity store id: " + identityStoreId);
    }
    if (!ACCOUNT_ID.matcher(accountId).matches()) {
      throw new IllegalArgumentException("not an AWS account id: " + accountId);
    }
    if (!set.group(1).equals(instance.group(1)) || !set.group(2).equals(instance.group(2))) {
      throw new IllegalArgumentException(
          "the permission set " + permissionSetArn + " is not of the instance " + instanceArn);
    }
  }

  /** The partition the instance is in: {@code aws}, {@code aws-cn}, ... */
  public String partition() {
    return instanceArn.substring("arn:".length(), instanceArn.indexOf(":sso:"));
  }

  /** For people: the permission set in the account. */
  public String describe() {
    return permissionSetArn + " in account " + accountId;
  }
}
