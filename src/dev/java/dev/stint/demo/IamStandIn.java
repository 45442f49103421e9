package dev.stint.demo;

import dev.stint.standin.CloudTrailEvent;
import dev.stint.standin.IamRules;
import dev.stint.standin.ManagedPolicies;
import dev.stint.standin.QueryRequest;
import dev.stint.standin.QueryServer;
import dev.stint.standin.Refusal;
import dev.stint.standin.RolePaths;
import dev.stint.standin.SigV4;
import dev.stint.standin.SigningKeys;
import dev.stint.standin.SsoAdminStandIn;
import dev.stint.standin.StandInReply;
import dev.stint.standin.StsDocuments;
import dev.stint.standin.Xml;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A local, stateful IAM: {@code GetRolePolicy} and {@code PutRolePolicy} on inline role policies,
 * and customer managed policies with their versions and attachments to roles ({@link
 * ManagedPolicies}): what stint's revocation calls, with documents URL-encoded in answers as real
 * IAM does. Roles must be created first ({@link #createRole}); unknown roles and policies answer
 * {@code NoSuchEntity}. A role under a path AWS protects (IAM Identity Center's provisioned roles,
 * {@code /aws-reserved/sso.amazonaws.com/}) refuses every write, {@code UnmodifiableEntity}, as IAM
 * does ({@link RolePaths#unmodifiable}); its sessions are judged by the managed policies IAM
 * Identity Center attached to it ({@link #attachProvisioned}). Each account has roles of its own: a
 * call acts in the account of the key that signed it ({@link #signedBy}; by default every key is
 * stint's own, in {@link SigningKeys#HOME_ACCOUNT}), so a same-named role of another account is
 * never touched. Like IAM it refuses what {@link IamRules} lists: an unsigned call, missing or
 * malformed names, a document that is not an identity policy ({@code MalformedPolicyDocument}), and
 * a put that would take the role's inline policies over 10,240 characters, whitespace excluded
 * ({@code LimitExceeded}). A body that is not a form is {@code MalformedQueryString} ({@link
 * QueryServer}); no request a caller can make is answered with a 500. With {@link #sessionCalls}, a
 * session STS minted may call {@code CreateAccessKey}, judged and recorded as IAM and CloudTrail
 * would ({@link IamSessionCalls}).
 */
public final class IamStandIn extends AwsStandIn {
  /** Roles as {@code ACCOUNT/NAME}; policies as {@code ACCOUNT/ROLE/POLICY}. */
  private final Set<String> roles = ConcurrentHashMap.newKeySet();

  private final RolePaths rolePaths = new RolePaths();

  private final Map<String, String> policies = new ConcurrentHashMap<>();
  private final ManagedPolicies managed = new ManagedPolicies();
  private volatile SigningKeys keys = SigningKeys.HOME_ONLY;
  private volatile Optional<IamSessionCalls> sessionCalls = Optional.empty();

  public IamStandIn() {
    super(IamRules.NAMESPACE);
  }

  /** A role of the home account. */
  public IamStandIn createRole(String roleName) {
    return createRole(SigningKeys.HOME_ACCOUNT, roleName);
  }

  public IamStandIn createRole(String account, String roleName) {
    roles.add(account + "/" + roleName);
    return this;
  }

  /**
   * A role of {@code account} under {@code path} (as IAM Identity Center provisions its roles under
   * {@code /aws-reserved/sso.amazonaws.com/}), listed by {@code ListRoles} with its path prefix.
   */
  public IamStandIn createRole(String account, String roleName, String path) {
    rolePaths.put(account + "/" + roleName, path);
    return createRole(account, roleName);
  }

  /**
   * The role IAM Identity Center provisions in {@code account} ({@code roleName} under {@link
   * SsoAdminStandIn#ROLE_PATH}), with the customer managed policies {@code policyArns} its
   * permission set references attached to it, as Identity Center attaches them.
   */
  public IamStandIn provisioned(String account, String roleName, List<String> policyArns) {
    createRole(account, roleName, SsoAdminStandIn.ROLE_PATH);
    policyArns.forEach(arn -> managed.attachDirectly(account + "/" + roleName, arn));
    return this;
  }

  /** Whether {@code account} has the customer managed policy {@code name} under {@code path}. */
  public boolean hasPolicy(String account, String path, String name) {
    return managed.exists("arn:aws:iam::" + account + ":policy" + path + name);
  }

  /** A customer managed policy of {@code account}, as its administrator creates it; its ARN. */
  public String createPolicy(String account, String path, String name, String document) {
    return managed.create(account, path, name, document);
  }

  /**
   * Puts an inline policy on a home account role, as its administrator would: what the role's
   * sessions are allowed to do.
   */
  public IamStandIn putRolePolicy(String roleName, String policyName, String document) {
    StandInReply reply = put(SigningKeys.HOME_ACCOUNT + "/" + roleName, policyName, document);
    if (reply.status() != 200) {
      throw new IllegalArgumentException("IAM refused the policy: " + reply.body());
    }
    return this;
  }

  /** Whose the keys that sign calls are: an STS's sessions act in their roles' accounts. */
  public IamStandIn signedBy(SigningKeys signers) {
    this.keys = signers;
    return this;
  }

  /**
   * Answers {@code iam:CreateAccessKey} from the sessions {@code sessions} finds by access key id,
   * as IAM judges it by their roles' policies here, and hands each such call to {@code trail} as
   * CloudTrail records it ({@link IamSessionCalls}).
   */
  public IamStandIn sessionCalls(
      Function<String, Optional<StsDocuments.Session>> sessions,
      BiConsumer<String, CloudTrailEvent> trail) {
    this.sessionCalls =
        Optional.of(new IamSessionCalls(sessions, this::documents, trail, Clock.systemUTC()));
    return this;
  }

  /**
   * The policies a home account role's sessions are judged by: its inline policies and the default
   * versions of the managed policies attached to it.
   */
  public List<String> documents(String roleName) {
    String prefix = SigningKeys.HOME_ACCOUNT + "/" + roleName + "/";
    List<String> out =
        new ArrayList<>(
            policies.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue)
                .toList());
    out.addAll(managed.documents(SigningKeys.HOME_ACCOUNT + "/" + roleName));
    return out;
  }

  /** A home account role's inline policy. */
  public Optional<String> policy(String roleName, String policyName) {
    return policy(SigningKeys.HOME_ACCOUNT, roleName, policyName);
  }

  public Optional<String> policy(String account, String roleName, String policyName) {
    return Optional.ofNullable(policies.get(account + "/" + roleName + "/" + policyName));
  }

  @Override
  protected StandInReply answer(QueryRequest request) {
    Optional<IamSessionCalls> calls = sessionCalls.filter(c -> c.handles(request));
    if (calls.isPresent()) {
      return calls.get().answer(request);
    }
    Optional<Refusal> refusal = IamRules.refusal(request);
    if (refusal.isPresent()) {
      return StandInReply.error(refusal.get(), IamRules.NAMESPACE);
    }
    String account = keys.account(SigV4.accessKeyId(request));
    String action = request.param("Action");
    if (IamRules.LIST_ROLES.equals(action)) {
      return rolePaths.list(request, account, List.copyOf(roles));
    }
    Optional<StandInReply> roleWrite = rolePaths.write(request, account, roles, policies);
    if (roleWrite.isPresent()) {
      return roleWrite.get();
    }
    if (!IamRules.GET.equals(action) && !IamRules.PUT.equals(action)) {
      return managed.answer(
          request, account, ManagedPolicies.partition(SigV4.region(request)), roles::contains);
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

  private StandInReply get(String account, String role, String name) {
    String document = policies.get(account + "/" + role + "/" + name);
    if (document == null) {
      return noSuchEntity("The role policy with name " + name + " cannot be found.");
    }
    String encoded = URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    return StandInReply.xml(
        "<GetRolePolicyResponse xmlns=\""
            + IamRules.NAMESPACE
            + "\"><GetRolePolicyResult><PolicyName>"
            + Xml.escape(name)
            + "</PolicyName><RoleName>"
            + Xml.escape(role)
            + "</RoleName><PolicyDocument>"
            + encoded
            + "</PolicyDocument></GetRolePolicyResult>"
            + metadata()
            + "</GetRolePolicyResponse>");
  }

  /** Puts {@code document} on {@code role} ({@code ACCOUNT/NAME}). */
  private synchronized StandInReply put(String role, String name, String document) {
    List<String> others =
        policies.entrySet().stream()
            .filter(e -> e.getKey().startsWith(role + "/") && !e.getKey().equals(role + "/" + name))
            .map(Map.Entry::getValue)
            .toList();
    Optional<Refusal> tooLarge =
        IamRules.sizeRefusal(role.substring(role.indexOf('/') + 1), document, others);
    if (tooLarge.isPresent()) {
      return StandInReply.error(tooLarge.get(), IamRules.NAMESPACE);
    }
    policies.put(role + "/" + name, document);
    return StandInReply.xml(
        "<PutRolePolicyResponse xmlns=\""
            + IamRules.NAMESPACE
            + "\">"
            + metadata()
            + "</PutRolePolicyResponse>");
  }

  private static StandInReply noSuchEntity(String message) {
    return StandInReply.error(Refusal.sender(404, "NoSuchEntity", message), IamRules.NAMESPACE);
  }

  private static String metadata() {
    return "<ResponseMetadata><RequestId>"
        + StandInReply.requestId()
        + "</RequestId></ResponseMetadata>";
  }
}
