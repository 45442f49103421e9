package dev.stint.standin;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The paths of an IAM stand-in's roles (a role created without one is under {@code /}) and IAM's
 * {@code ListRoles} over them: the account's roles whose path starts with {@code PathPrefix}, in
 * pages of {@code MaxItems} (100 unless asked) with {@code Marker}, as IAM's answer document lists
 * them. What IAM Identity Center provisions (its roles under {@code
 * /aws-reserved/sso.amazonaws.com/}) is found this way.
 */
public final class RolePaths {
  /**
   * The paths of the roles AWS keeps for itself: IAM Identity Center's provisioned roles and
   * service-linked roles. No account identity may change them.
   */
  private static final List<String> PROTECTED = List.of("/aws-reserved/", "/aws-service-role/");

  /** {@code ACCOUNT/NAME} to the role's path. */
  private final Map<String, String> paths = new ConcurrentHashMap<>();

  /** Records {@code role} ({@code ACCOUNT/NAME}) under {@code path}. */
  public void put(String role, String path) {
    paths.put(role, path);
  }

  public String path(String role) {
    return paths.getOrDefault(role, "/");
  }

  /**
   * IAM's answer to a write to a role ({@link IamRules#ROLE_WRITES}) in {@code account}, of the
   * roles {@code roles} holds ({@code ACCOUNT/NAME}) with their inline policies {@code policies}
   * ({@code ACCOUNT/NAME/POLICY}): a role AWS protects refused as IAM refuses it, HTTP 400 {@code
   * UnmodifiableEntity} (an account administrator changes such a role only through what provisions
   * it: for IAM Identity Center, the permission set's customer managed policies); on any other
   * role, a trust policy update or an inline policy's deletion done. Empty for the calls the
   * stand-in answers itself.
   */
  public Optional<StandInReply> write(
      QueryRequest request, String account, Set<String> roles, Map<String, String> policies) {
    String action = request.param("Action");
    if (!IamRules.ROLE_WRITES.contains(action)) {
      return Optional.empty();
    }
    String role = account + "/" + request.param("RoleName");
    if (!roles.contains(role)) {
      return Optional.of(
          noSuchEntity("The role with name " + request.param("RoleName") + " cannot be found."));
    }
    if (PROTECTED.stream().anyMatch(path(role)::startsWith)) {
      return Optional.of(
          StandInReply.error(
              Refusal.sender(
                  400,
                  "UnmodifiableEntity",
                  "Cannot perform the operation on the protected role '"
                      + request.param("RoleName")
                      + "' - this role is only modifiable by AWS"),
              IamRules.NAMESPACE));
    }
    if (IamRules.DELETE_ROLE_POLICY.equals(action)) {
      if (policies.remove(role + "/" + request.param("PolicyName")) == null) {
        return Optional.of(
            noSuchEntity(
                "The role policy with name " + request.param("PolicyName") + " cannot be found."));
      }
    } else if (!IamRules.UPDATE_TRUST.equals(action)) {
      return Optional.empty();
    }
    return Optional.of(
        StandInReply.xml(
            "<"
                + action
                + "Response xmlns=\""
                + IamRules.NAMESPACE
                + "\"><ResponseMetadata><RequestId>"
                + StandInReply.requestId()
                + "</RequestId></ResponseMetadata></"
                + action
                + "Response>"));
  }

  private static StandInReply noSuchEntity(String message) {
    return StandInReply.error(Refusal.sender(404, "NoSuchEntity", message), IamRules.NAMESPACE);
  }

  /**
   * The {@code ListRoles} answer for {@code request} in {@code account}, of the roles {@code roles}
   * holds ({@code ACCOUNT/NAME}).
   */
  public StandInReply list(QueryRequest request, String account, List<String> roles) {
    String prefix = request.param("PathPrefix") == null ? "/" : request.param("PathPrefix");
    int max = request.param("MaxItems") == null ? 100 : Integer.parseInt(request.param("MaxItems"));
    int from = request.param("Marker") == null ? 0 : Integer.parseInt(request.param("Marker"));
    List<String> names =
        roles.stream()
            .filter(r -> r.startsWith(account + "/") && path(r).startsWith(prefix))
            .map(r -> r.substring(account.length() + 1))
            .sorted()
            .toList();
    StringBuilder members = new StringBuilder();
    names.stream()
        .skip(from)
        .limit(max)
        .forEach(n -> members.append(member(account, n, path(account + "/" + n))));
    boolean truncated = from + max < names.size();
    return StandInReply.xml(
        "<ListRolesResponse xmlns=\""
            + IamRules.NAMESPACE
            + "\"><ListRolesResult><IsTruncated>"
            + truncated
            + "</IsTruncated><Roles>"
            + members
            + "</Roles>"
            + (truncated ? "<Marker>" + (from + max) + "</Marker>" : "")
            + "</ListRolesResult><ResponseMetadata><RequestId>"
            + StandInReply.requestId()
            + "</RequestId></ResponseMetadata></ListRolesResponse>");
  }

  private static String member(String account, String name, String path) {
    return "<member><Path>"
        + Xml.escape(path)
        + "</Path><RoleName>"
        + Xml.escape(name)
        + "</RoleName><RoleId>AROA"
        + Integer.toHexString((account + name).hashCode()).toUpperCase(Locale.ROOT)
        + "</RoleId><Arn>arn:aws:iam::"
        + account
        + ":role"
        + Xml.escape(path)
        + Xml.escape(name)
        + "</Arn><CreateDate>"
        + Instant.EPOCH
        + "</CreateDate><MaxSessionDuration>3600</MaxSessionDuration></member>";
  }
}
