package dev.stint.testing;

import dev.stint.standin.IamRules;
import dev.stint.standin.ManagedPolicies;
import dev.stint.standin.QueryRequest;
import dev.stint.standin.Refusal;
import dev.stint.standin.RolePaths;
import dev.stint.standin.SigV4;
import dev.stint.standin.SigningKeys;
import dev.stint.standin.StandInReply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A fake, stateful IAM for tests: {@code GetRolePolicy} and {@code PutRolePolicy} on inline role
 * policies (documents URL-encoded in answers, as real IAM does), customer managed policies with
 * their versions and attachments to roles ({@link ManagedPolicies}, IAM's limits kept), with
 * programmable failures per call, calls held in flight, and a hook after each successful change. It
 * judges a session's calls against a role's inline and attached policies together ({@link
 * #denies}). Roles must be created first ({@link #createRole}); unknown roles and policies answer
 * {@code NoSuchEntity}. Like IAM, each account has roles of its own: a call acts in the account of
 * the key that signed it ({@link #signedBy}; by default every key is stint's own, in {@link
 * SigningKeys#HOME_ACCOUNT}), so a same-named role of another account is never touched. It refuses
 * what IAM refuses ({@link IamRules}: an unsigned call, malformed names, a document that is not an
 * identity policy, a role's inline policies over 10,240 characters together, any write to a role
 * AWS protects, as IAM Identity Center's provisioned roles: {@code UnmodifiableEntity}).
 */
public final class FakeIam extends FakeAwsEndpoint {
  /** A programmable failure for the next call. */
  public enum Failure {
    THROTTLING,
    CONCURRENT_MODIFICATION,
    ACCESS_DENIED,
    SERVER_ERROR,
    LIMIT_EXCEEDED
  }

  /** A call held in flight: {@code arrived} completes with it; its answer waits for release. */
  public record Hold(CompletableFuture<Call> arrived, CompletableFuture<Void> release) {}

  private record Pending(Predicate<Call> which, Hold hold) {}

  /** Roles as {@code ACCOUNT/NAME}; policies as {@code ACCOUNT/ROLE/POLICY}. */
  private final Set<String> roles = ConcurrentHashMap.newKeySet();

  private final RolePaths rolePaths = new RolePaths();

  private final Map<String, String> policies = new ConcurrentHashMap<>();
  private final ManagedPolicies managed = new ManagedPolicies();
  private volatile SigningKeys keys = SigningKeys.HOME_ONLY;
  private final Deque<Failure> failures = new ArrayDeque<>();
  private final List<Pending> holds = new ArrayList<>();
  private volatile Runnable afterPut = () -> {};

  /** The managed policy calls that change what a role's sessions are judged by. */
  private static final Set<String> CHANGES =
      Set.of(
          IamRules.CREATE_VERSION,
          IamRules.ATTACH,
          IamRules.DETACH,
          IamRules.DELETE_VERSION,
          IamRules.DELETE_POLICY);

  /** A role of the home account. */
  public FakeIam createRole(String roleName) {
    return createRole(SigningKeys.HOME_ACCOUNT, roleName);
  }

  public FakeIam createRole(String account, String roleName) {
    roles.add(account + "/" + roleName);
    return this;
  }

  /**
   * A role of {@code account} under {@code path} (as IAM Identity Center provisions its roles under
   * {@code /aws-reserved/sso.amazonaws.com/}), listed by {@code ListRoles} with its path prefix.
   */
  public FakeIam createRole(String account, String roleName, String path) {
    rolePaths.put(account + "/" + roleName, path);
    return createRole(account, roleName);
  }

  /**
   * The role IAM Identity Center provisions in {@code account} ({@code roleName} under {@code
   * /aws-reserved/sso.amazonaws.com/}), with the customer managed policies {@code policyArns} its
   * permission set references attached, as Identity Center attaches them (no IAM call could).
   */
  public FakeIam provisioned(String account, String roleName, List<String> policyArns) {
    createRole(account, roleName, "/aws-reserved/sso.amazonaws.com/");
    policyArns.forEach(arn -> managed.attachDirectly(account + "/" + roleName, arn));
    return this;
  }

  /** Whose the keys that sign calls are: an STS's sessions act in their roles' accounts. */
  public FakeIam signedBy(SigningKeys signers) {
    this.keys = signers;
    return this;
  }

  /** Sets a home account role's inline policy directly (as another writer or an operator would). */
  public void putPolicy(String roleName, String policyName, String document) {
    policies.put(SigningKeys.HOME_ACCOUNT + "/" + roleName + "/" + policyName, document);
  }

  /** A home account role's inline policy. */
  public Optional<String> policy(String roleName, String policyName) {
    return policy(SigningKeys.HOME_ACCOUNT, roleName, policyName);
  }

  public Optional<String> policy(String account, String roleName, String policyName) {
    return Optional.ofNullable(policies.get(account + "/" + roleName + "/" + policyName));
  }

  /**
   * Whether the home account role {@code roleName}'s policies deny every action to {@code session}
   * at {@code now}, as IAM would judge a call the session makes: any Deny among them wins.
   */
  public boolean denies(String roleName, DenyEvaluator.Session session, Instant now) {
    return documents(SigningKeys.HOME_ACCOUNT, roleName).stream()
        .anyMatch(d -> DenyEvaluator.denies(d, session, now));
  }

  /** Every policy document that applies to the role's sessions: inline, then attached. */
  private List<String> documents(String account, String roleName) {
    String prefix = account + "/" + roleName + "/";
    List<String> out =
        new ArrayList<>(
            policies.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue)
                .toList());
    out.addAll(managed.documents(account + "/" + roleName));
    return out;
  }

  /**
   * The account's customer managed policies and their attachments to its roles (the home account's
   * roles by {@code HOME/ROLE}), for tests to fill a role's quota or look at what stint wrote.
   */
  public ManagedPolicies managed() {
    return managed;
  }

  public synchronized FakeIam failNext(Failure... next) {
    failures.addAll(List.of(next));
    return this;
  }

  /**
   * Runs after each successful PutRolePolicy (and each managed policy change that alters a role's
   * policies): simulates a concurrent writer, or judges sessions at every change.
   */
  public FakeIam afterPut(Runnable hook) {
    this.afterPut = hook;
    return this;
  }

  /**
   * The next call that {@code which} matches is answered only when the test releases it. Its effect
   * happens at once (a put is stored before the answer waits), as when IAM accepted a change whose
   * answer never reached the caller.
   */
  public synchronized Hold holdNext(Predicate<Call> which) {
    Hold hold = new Hold(new CompletableFuture<>(), new CompletableFuture<>());
    holds.add(new Pending(which, hold));
    return hold;
  }

  @Override
  protected Answer answer(Call call) {
    Failure failure = nextFailure();
    if (failure != null) {
      return failure(failure);
    }
    Answer answer = respond(call.request());
    Hold hold = holdFor(call);
    if (hold == null) {
      return answer;
    }
    hold.arrived().complete(call);
    return answer.until(hold.release());
  }

  private Answer respond(QueryRequest request) {
    Optional<Refusal> refusal = IamRules.refusal(request);
    if (refusal.isPresent()) {
      return error(refusal.get(), IamRules.NAMESPACE);
    }
    String account = keys.account(SigV4.accessKeyId(request));
    String action = request.param("Action");
    if (IamRules.LIST_ROLES.equals(action)) {
      return Answer.of(rolePaths.list(request, account, List.copyOf(roles)));
    }
    Optional<StandInReply> roleWrite = rolePaths.write(request, account, roles, policies);
    if (roleWrite.isPresent()) {
      return Answer.of(roleWrite.get());
    }
    if (!IamRules.GET.equals(action) && !IamRules.PUT.equals(action)) {
      Answer answer =
          Answer.of(
              managed.answer(
                  request,
                  account,
                  ManagedPolicies.partition(SigV4.region(request)),
                  roles::contains));
      if (answer.status() == 200 && CHANGES.contains(action)) {
        afterPut.run();
      }
      return answer;
    }
    String role = request.param("RoleName");
    String name = request.param("PolicyName");
    if (!roles.contains(account + "/" + role)) {
      return noSuchEntity("The role with name " + role + " cannot be found.");
    }
    return IamRules.GET.equals(request.param("Action"))
        ? get(account, role, name)
        : put(account + "/" + role, name, request.param("PolicyDocument"));
  }

  private Answer get(String account, String role, String name) {
    String document = policies.get(account + "/" + role + "/" + name);
    if (document == null) {
      return noSuchEntity("The role policy with name " + name + " cannot be found.");
    }
    String encoded = URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    return new Answer(
        200,
        "text/xml",
        "<GetRolePolicyResponse xmlns=\""
            + IamRules.NAMESPACE
            + "\"><GetRolePolicyResult><PolicyName>"
            + xml(name)
            + "</PolicyName><RoleName>"
            + xml(role)
            + "</RoleName><PolicyDocument>"
            + encoded
            + "</PolicyDocument></GetRolePolicyResult>"
            + metadata()
            + "</GetRolePolicyResponse>");
  }

  /** Puts {@code document} on {@code role} ({@code ACCOUNT/NAME}). */
  private Answer put(String role, String name, String document) {
    synchronized (policies) {
      List<String> others =
          policies.entrySet().stream()
              .filter(
                  e -> e.getKey().startsWith(role + "/") && !e.getKey().equals(role + "/" + name))
              .map(Map.Entry::getValue)
              .toList();
      Optional<Refusal> tooLarge =
          IamRules.sizeRefusal(role.substring(role.indexOf('/') + 1), document, others);
      if (tooLarge.isPresent()) {
        return error(tooLarge.get(), IamRules.NAMESPACE);
      }
      policies.put(role + "/" + name, document);
    }
    afterPut.run();
    return new Answer(
        200,
        "text/xml",
        "<PutRolePolicyResponse xmlns=\""
            + IamRules.NAMESPACE
            + "\">"
            + metadata()
            + "</PutRolePolicyResponse>");
  }

  private static Answer noSuchEntity(String message) {
    return error(Refusal.sender(404, "NoSuchEntity", message), IamRules.NAMESPACE);
  }

  private static String metadata() {
    return "<ResponseMetadata><RequestId>" + requestId() + "</RequestId></ResponseMetadata>";
  }

  private synchronized Hold holdFor(Call call) {
    for (var it = holds.iterator(); it.hasNext(); ) {
      Pending pending = it.next();
      if (pending.which().test(call)) {
        it.remove();
        return pending.hold();
      }
    }
    return null;
  }

  private synchronized Failure nextFailure() {
    return failures.poll();
  }

  private static Answer failure(Failure failure) {
    return switch (failure) {
      case THROTTLING -> error(400, "Sender", "Throttling", "Rate exceeded");
      case CONCURRENT_MODIFICATION ->
          error(
              409,
              "Sender",
              "ConcurrentModification",
              "Rate exceeded for concurrent modifications");
      case ACCESS_DENIED ->
          error(
              403,
              "Sender",
              "AccessDenied",
              "User: arn:aws:iam::111122223333:"
                  + "user/stint is not authorized to perform: iam:PutRolePolicy");
      case SERVER_ERROR -> error(500, "Receiver", "ServiceFailure", "internal failure");
      case LIMIT_EXCEEDED ->
          error(
              409,
              "Sender",
              "LimitExceeded",
              "Maximum policy size of 10240 bytes exceeded for role");
    };
  }
}
