package dev.stint.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local, stateful IAM for tests: {@code GetRolePolicy} and {@code PutRolePolicy} on inline role
 * policies, with documents URL-encoded in answers as real IAM does. Roles must be created first
 * ({@link #createRole}); unknown roles and policies answer {@code NoSuchEntity}. Failures are
 * programmable per call.
 */
public final class FakeIam extends FakeAwsEndpoint {
  /** A programmable failure for the next call. */
  public enum Failure { THROTTLING, CONCURRENT_MODIFICATION, ACCESS_DENIED, SERVER_ERROR, LIMIT_EXCEEDED }

  private static final String NS = "https://iam.amazonaws.com/doc/2010-05-08/";
  private final Set<String> roles = ConcurrentHashMap.newKeySet();
  private final Map<String, String> policies = new ConcurrentHashMap<>();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private volatile Runnable afterPut = () -> {};

  public FakeIam createRole(String roleName) {
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

  public synchronized FakeIam failNext(Failure... next) {
    failures.addAll(List.of(next));
    return this;
  }

  /** Runs after each successful PutRolePolicy: simulates a concurrent writer. */
  public FakeIam afterPut(Runnable hook) {
    this.afterPut = hook;
    return this;
  }

  @Override
  protected Answer answer(Call call) {
    Failure failure = nextFailure();
    if (failure != null) {
      return failure(failure);
    }
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
    afterPut.run();
    return new Answer(200, "text/xml", "<PutRolePolicyResponse xmlns=\"" + NS + "\">"
        + "<ResponseMetadata><RequestId>" + requestId() + "</RequestId></ResponseMetadata>"
        + "</PutRolePolicyResponse>");
  }

  private synchronized Failure nextFailure() {
    return failures.poll();
  }

  private static Answer failure(Failure failure) {
    return switch (failure) {
      case THROTTLING -> error(400, "Sender", "Throttling", "Rate exceeded");
      case CONCURRENT_MODIFICATION -> error(409, "Sender", "ConcurrentModification",
          "Rate exceeded for concurrent modifications");
      case ACCESS_DENIED -> error(403, "Sender", "AccessDenied", "User: arn:aws:iam::111122223333:"
          + "user/stint is not authorized to perform: iam:PutRolePolicy");
      case SERVER_ERROR -> error(500, "Receiver", "ServiceFailure", "internal failure");
      case LIMIT_EXCEEDED -> error(409, "Sender", "LimitExceeded",
          "Maximum policy size of 10240 bytes exceeded for role");
    };
  }
}
