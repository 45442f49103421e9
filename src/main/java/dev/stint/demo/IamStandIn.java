package dev.stint.demo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local, stateful IAM: {@code GetRolePolicy} and {@code PutRolePolicy} on inline role policies
 * (what stint's revocation calls), with documents URL-encoded in answers as real IAM does. Roles
 * must be created first ({@link #createRole}); unknown roles and policies answer {@code
 * NoSuchEntity}. Like IAM, a put is refused with {@code MalformedPolicyDocument} when the document
 * is not JSON with a {@code Statement}, or a {@code Sid} is not alphanumeric, and with {@code
 * LimitExceeded} when the role's inline policies would together exceed 10,240 characters,
 * whitespace excluded.
 */
public class IamStandIn extends AwsStandIn {
  private static final String NS = "https://iam.amazonaws.com/doc/2010-05-08/";
  private final Set<String> roles = ConcurrentHashMap.newKeySet();
  private final Map<String, String> policies = new ConcurrentHashMap<>();

  public IamStandIn createRole(String roleName) {
    roles.add(roleName);
    return this;
  }

  /** Sets a role's inline policy directly (as another writer or an operator would). */
  public void putPolicy(String roleName, String policyName, String document) {
    policies.put(roleName + "/" + policyName, document);
  }

  public Optional<String> policy(String roleName, String policyName) {
    return Optional.ofNullable(policies.get(roleName + "/" + policyName));
  }

  /** Runs after each successful PutRolePolicy; tests use it to simulate a concurrent writer. */
  protected void afterPut() {}

  @Override
  protected Answer answer(Call call) {
    String role = call.param("RoleName");
    String name = call.param("PolicyName");
    if (!roles.contains(role)) {
      return error(
          404, "Sender", "NoSuchEntity", "The role with name " + role + " cannot be found.");
    }
    return switch (String.valueOf(call.param("Action"))) {
      case "GetRolePolicy" -> get(role, name);
      case "PutRolePolicy" -> put(role, name, call.param("PolicyDocument"));
      default ->
          error(400, "Sender", "InvalidAction", "Could not find operation " + call.param("Action"));
    };
  }

  private Answer get(String role, String name) {
    String document = policies.get(role + "/" + name);
    if (document == null) {
      return error(
          404, "Sender", "NoSuchEntity", "The role policy with name " + name + " cannot be found.");
    }
    String encoded = URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    return new Answer(
        200,
        "text/xml",
        "<GetRolePolicyResponse xmlns=\""
            + NS
            + "\">"
            + "<GetRolePolicyResult><PolicyName>"
            + xml(name)
            + "</PolicyName><RoleName>"
            + xml(role)
            + "</RoleName><PolicyDocument>"
            + encoded
            + "</PolicyDocument></GetRolePolicyResult>"
            + "<ResponseMetadata><RequestId>"
            + requestId()
            + "</RequestId></ResponseMetadata>"
            + "</GetRolePolicyResponse>");
  }

  private Answer put(String role, String name, String document) {
    if (name == null || !name.matches("[\\w+=,.@-]{1,128}")) {
      return error(
          400,
          "Sender",
          "ValidationError",
          "1 validation error detected: Value at "
              + "'policyName' failed to satisfy constraint: Member must satisfy regular expression "
              + "pattern: [\\w+=,.@-]+");
    }
    String malformed = IamDocuments.malformed(document);
    if (malformed != null) {
      return error(400, "Sender", "MalformedPolicyDocument", malformed);
    }
    int size =
        IamDocuments.size(document)
            + policies.entrySet().stream()
                .filter(
                    e -> e.getKey().startsWith(role + "/") && !e.getKey().equals(role + "/" + name))
                .mapToInt(e -> IamDocuments.size(e.getValue()))
                .sum();
    if (size > IamDocuments.MAX_ROLE_INLINE) {
      return error(
          409,
          "Sender",
          "LimitExceeded",
          "Maximum policy size of "
              + IamDocuments.MAX_ROLE_INLINE
              + " bytes exceeded for role "
              + role);
    }
    policies.put(role + "/" + name, document);
    afterPut();
    return new Answer(
        200,
        "text/xml",
        "<PutRolePolicyResponse xmlns=\""
            + NS
            + "\">"
            + "<ResponseMetadata><RequestId>"
            + requestId()
            + "</RequestId></ResponseMetadata>"
            + "</PutRolePolicyResponse>");
  }
}
