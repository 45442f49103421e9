package dev.stint.standin;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What SSO Admin's API reference allows in a request's fields, and its refusal of one that breaks
 * it: a malformed ARN, account or principal id is a {@code ValidationException} naming the field; a
 * well-formed permission set the instance does not hold is a {@code ResourceNotFoundException}.
 */
final class SsoAdminInput {
  static final Pattern INSTANCE_ARN =
      Pattern.compile(
          "arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}");
  static final Pattern PERMISSION_SET_ARN =
      Pattern.compile(
          "arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::permissionSet/(sso)?ins-[a-zA-Z0-9-.]{16}/ps-[a-zA-Z0-9-./]{16}");
  static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  static final Pattern PRINCIPAL_ID =
      Pattern.compile(
          "([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}");

  private SsoAdminInput() {}

  /** The refusal of an account assignment's fields, if any; {@code known} the instance's sets. */
  static Optional<StandInReply> assignment(JsonObject body, Predicate<String> known) {
    String ps = body.getString("PermissionSetArn");
    if (ps == null || !PERMISSION_SET_ARN.matcher(ps).matches()) {
      return Optional.of(JsonRefusals.validation("permissionSetArn", ps));
    }
    if (!"AWS_ACCOUNT".equals(body.getString("TargetType"))) {
      return Optional.of(JsonRefusals.validation("targetType", body.getString("TargetType")));
    }
    Optional<StandInReply> account = account("targetId", body.getString("TargetId"));
    if (account.isPresent()) {
      return account;
    }
    String type = body.getString("PrincipalType");
    if (!"USER".equals(type) && !"GROUP".equals(type)) {
      return Optional.of(JsonRefusals.validation("principalType", type));
    }
    String principal = body.getString("PrincipalId");
    if (principal == null || !PRINCIPAL_ID.matcher(principal).matches()) {
      return Optional.of(JsonRefusals.validation("principalId", principal));
    }
    if (!known.test(ps)) {
      return Optional.of(JsonRefusals.notFound("PERMISSION_SET", ps));
    }
    return Optional.empty();
  }

  /** The refusal of a malformed permission set ARN, or of one {@code known} does not hold. */
  static Optional<StandInReply> permissionSet(JsonObject body, Predicate<String> known) {
    String ps = body.getString("PermissionSetArn");
    if (ps == null || !PERMISSION_SET_ARN.matcher(ps).matches()) {
      return Optional.of(JsonRefusals.validation("permissionSetArn", ps));
    }
    if (!known.test(ps)) {
      return Optional.of(JsonRefusals.notFound("PERMISSION_SET", ps));
    }
    return Optional.empty();
  }

  /** The refusal of a malformed account id in {@code field}. */
  static Optional<StandInReply> account(String field, String account) {
    if (account == null || !ACCOUNT.matcher(account).matches()) {
      return Optional.of(JsonRefusals.validation(field, account));
    }
    return Optional.empty();
  }
}
