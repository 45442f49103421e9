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
 * must be created first ({@link #createRole}); unknown roles and policies answer
 * {@code NoSuchEntity}.
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
  protected void afterPut() {
  }

  @Override
  protected Answer answer(Call call) {
    String role = call.param("RoleName");
    String name = call.param("PolicyName");
    if (!roles.contains(role)) {
      return error(404, "Sender", "NoSuchEntity", "The role with name " + role + " cannot be found.");
    }
    return switch (String.valueOf(call.param("Action"))) {
      case "GetRolePolicy" -> get(role, name);
      case "PutRolePolicy" -> put(role, name, call.param("PolicyDocument"));
      default -> error(400, "Sender", "InvalidAction", "Could not find operation " + call.param("Action"));
    };
  }

  private Answer get(String role, String name) {
    String document = policies.get(role + "/" + name);
    if (document == null) {
      return error(404, "Sender", "NoSuchEntity",
          "The role policy with name " + name + " cannot be found.");
    }
    String encoded = URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    return new Answer(200, "text/xml", "<GetRolePolicyResponse xmlns=\"" + NS + "\">"
        + "<GetRolePolicyResult><PolicyName>" + xml(name) + "</PolicyName><RoleName>" + xml(role)
        + "</RoleName><PolicyDocument>" + encoded + "</PolicyDocument></GetRolePolicyResult>"
        + "<ResponseMetadata><RequestId>" + requestId() + "</RequestId></ResponseMetadata>"
        + "</GetRolePolicyResponse>");
  }

  private Answer put(String role, String name, String document) {
    if (document == null || document.isEmpty()) {
      return error(400, "Sender", "MalformedPolicyDocument", "Syntax errors in policy.");
    }
    policies.put(role + "/" + name, document);
    afterPut();
    return new Answer(200, "text/xml", "<PutRolePolicyResponse xmlns=\"" + NS + "\">"
        + "<ResponseMetadata><RequestId>" + requestId() + "</RequestId></ResponseMetadata>"
        + "</PutRolePolicyResponse>");
  }
}
