package dev.stint.policy;

import dev.stint.cloud.AccountAssignment;
import dev.stint.cloud.AwsTarget;
import dev.stint.cloud.CloudTarget;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code aws: {mode: identity_center, instance_arn, identity_store_id, account_id,
 * permission_set_arn, permission_set_name?, region?}}: a profile whose grant is an IAM Identity
 * Center account assignment instead of a role's session. Each field is checked against the form the
 * SSO Admin and Identity Store APIs take, every problem reported at once, and the permission set
 * must be the instance's.
 */
final class IdentityCenterParser {
  static final Set<String> KEYS =
      Set.of(
          "mode",
          "instance_arn",
          "identity_store_id",
          "account_id",
          "permission_set_arn",
          "permission_set_name",
          "region");

  private IdentityCenterParser() {}

  static Optional<CloudTarget> parse(YamlNode n, Pattern region) {
    n.allowOnly(KEYS);
    Optional<String> instance =
        checked(
            n,
            "instance_arn",
            AccountAssignment.INSTANCE_ARN,
            "must be an IAM Identity Center instance ARN such as"
                + " arn:aws:sso:::instance/ssoins-0123456789abcdef");
    Optional<String> store =
        checked(
            n,
            "identity_store_id",
            AccountAssignment.IDENTITY_STORE_ID,
            "must be an identity store id such as d-0123456789");
    Optional<String> account =
        checked(n, "account_id", AccountAssignment.ACCOUNT_ID, "must be a 12-digit AWS account id");
    Optional<String> set =
        checked(
            n,
            "permission_set_arn",
            AccountAssignment.PERMISSION_SET_ARN,
            "must be a permission set ARN such as"
                + " arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef");
    Optional<String> name = n.string("permission_set_name");
    boolean nameOk =
        fits(
            n,
            name,
            "permission_set_name",
            AccountAssignment.PERMISSION_SET_NAME,
            "must be a permission set's name as IAM Identity Center shows it (1 to 32 letters,"
                + " digits and +=,.@_-), such as ReadOnly");
    Optional<String> where = n.string("region");
    boolean regionOk = fits(n, where, "region", region, "must be an AWS region such as eu-west-1");
    if (instance.isEmpty()
        || store.isEmpty()
        || account.isEmpty()
        || set.isEmpty()
        || !regionOk
        || !nameOk) {
      return Optional.empty();
    }
    Matcher i = AccountAssignment.INSTANCE_ARN.matcher(instance.get());
    Matcher s = AccountAssignment.PERMISSION_SET_ARN.matcher(set.get());
    if (i.matches() && s.matches() && !(i.group(1) + i.group(2)).equals(s.group(1) + s.group(2))) {
      n.problem(
          "permission_set_arn",
          "is not a permission set of the instance "
              + instance.get()
              + " (its partition and instance id must be the instance's)");
      return Optional.empty();
    }
    return Optional.of(
        AwsTarget.identityCenter(
            new AccountAssignment(instance.get(), store.get(), account.get(), set.get(), name),
            where));
  }

  /** Whether an optional field, when given, matches {@code pattern}; a problem when not. */
  private static boolean fits(
      YamlNode n, Optional<String> value, String field, Pattern pattern, String reason) {
    if (value.isEmpty() || pattern.matcher(value.get()).matches()) {
      return true;
    }
    n.problem(field, reason);
    return false;
  }

  private static Optional<String> checked(
      YamlNode n, String field, Pattern pattern, String reason) {
    return n.requiredString(field)
        .filter(
            v -> {
              if (pattern.matcher(v).matches()) {
                return true;
              }
              n.problem(field, reason);
              return false;
            });
  }
}
