package dev.stint.standin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What IAM refuses of the calls stint's revocation makes: the inline role policy calls ({@code
 * GetRolePolicy}, {@code PutRolePolicy}) and the customer managed policy calls ({@code
 * CreatePolicy}, {@code GetPolicy}, {@code CreatePolicyVersion}, {@code GetPolicyVersion}, {@code
 * ListPolicyVersions}, {@code DeletePolicyVersion}, {@code AttachRolePolicy}, {@code
 * DetachRolePolicy}, {@code ListAttachedRolePolicies}, {@code DeletePolicy}), {@code ListRoles}
 * (for the roles IAM Identity Center provisions, {@link RolePaths}), and the other writes to a role
 * that a protected role refuses ({@code DeleteRolePolicy}, {@code UpdateAssumeRolePolicy}), in the
 * order IAM meets it: the operation; the SigV4 signature, scoped to {@code iam} and to the
 * partition's signing region (IAM is global: {@code us-east-1}, {@code cn-north-1} or {@code
 * us-gov-west-1}); the parameters against the API model ({@code ValidationError}); then, for a
 * document, the policy grammar ({@code MalformedPolicyDocument}) and its size. Whatever depends on
 * what the account holds (a role or policy that does not exist, five versions, the attachment
 * quota) is {@link ManagedPolicies}'s and the stand-in's to know.
 *
 * <p>IAM's quota for a role's inline policies is 10,240 characters for all of them together, and
 * for one managed policy 6,144, whitespace not counted either way ({@code LimitExceeded}, HTTP
 * 409).
 */
public final class IamRules {
  public static final String VERSION = "2010-05-08";
  public static final String NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
  public static final String GET = "GetRolePolicy";
  public static final String PUT = "PutRolePolicy";

  /** A role's inline policies together, whitespace excluded. */
  public static final int MAX_ROLE_INLINE = 10_240;

  public static final String CREATE_POLICY = "CreatePolicy";
  public static final String GET_POLICY = "GetPolicy";
  public static final String CREATE_VERSION = "CreatePolicyVersion";
  public static final String GET_VERSION = "GetPolicyVersion";
  public static final String LIST_VERSIONS = "ListPolicyVersions";
  public static final String DELETE_VERSION = "DeletePolicyVersion";
  public static final String ATTACH = "AttachRolePolicy";
  public static final String DETACH = "DetachRolePolicy";
  public static final String LIST_ATTACHED = "ListAttachedRolePolicies";
  public static final String DELETE_POLICY = "DeletePolicy";
  public static final String LIST_ROLES = "ListRoles";
  public static final String DELETE_ROLE_POLICY = "DeleteRolePolicy";
  public static final String UPDATE_TRUST = "UpdateAssumeRolePolicy";

  /**
   * The calls that change a role itself: refused on a role AWS protects ({@link
   * RolePaths#unmodifiable}).
   */
  public static final Set<String> ROLE_WRITES =
      Set.of(PUT, DELETE_ROLE_POLICY, ATTACH, DETACH, UPDATE_TRUST);

  /** One managed policy version, whitespace excluded. */
  public static final int MAX_MANAGED = 6_144;

  private static final Set<String> ACTIONS =
      Set.of(
          GET,
          PUT,
          CREATE_POLICY,
          GET_POLICY,
          CREATE_VERSION,
          GET_VERSION,
          LIST_VERSIONS,
          DELETE_VERSION,
          ATTACH,
          DETACH,
          LIST_ATTACHED,
          DELETE_POLICY,
          LIST_ROLES,
          DELETE_ROLE_POLICY,
          UPDATE_TRUST);

  /** The calls that name a role, and those that name a policy by its ARN. */
  private static final Set<String> ROLE_CALLS =
      Set.of(GET, PUT, ATTACH, DETACH, LIST_ATTACHED, DELETE_ROLE_POLICY, UPDATE_TRUST);

  private static final Set<String> ARN_CALLS =
      Set.of(
          GET_POLICY,
          CREATE_VERSION,
          GET_VERSION,
          LIST_VERSIONS,
          DELETE_VERSION,
          ATTACH,
          DETACH,
          DELETE_POLICY);

  private static final Set<String> DOCUMENT_CALLS = Set.of(PUT, CREATE_POLICY, CREATE_VERSION);
  private static final Predicate<String> SIGNING_REGIONS =
      Set.of("us-east-1", "cn-north-1", "us-gov-west-1")::contains;
  private static final String NAME = "[\\w+=,.@-]+";
  private static final Member ROLE_NAME = new Member("roleName", 1, 64, NAME);
  private static final Member POLICY_NAME = new Member("policyName", 1, 128, NAME);
  private static final Member DOCUMENT =
      new Member("policyDocument", 1, 131_072, "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
  private static final Member POLICY_ARN = new Member("policyArn", 20, 2048, null);
  private static final Member PATH = new Member("path", 1, 512, "((/[A-Za-z0-9\\.,\\+@=_-]+)*)/");
  private static final Member VERSION_ID =
      new Member("versionId", 0, 128, "v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?");

  private IamRules() {}

  /**
   * Why IAM would refuse {@code request} before looking at the role, or empty. A put's document is
   * checked here too; its size against the role's other policies is {@link #sizeRefusal}.
   */
  public static Optional<Refusal> refusal(QueryRequest request) {
    Optional<Refusal> operation = QueryActions.refusal(request, VERSION, ACTIONS);
    if (operation.isPresent()) {
      return operation;
    }
    Optional<Refusal> unsigned = SigV4.check(request, "iam", SIGNING_REGIONS);
    if (unsigned.isPresent()) {
      return unsigned;
    }
    String action = request.param("Action");
    List<String> problems = members(request, action);
    if (!problems.isEmpty()) {
      return Optional.of(Refusal.validation(problems));
    }
    if (!DOCUMENT_CALLS.contains(action)) {
      return Optional.empty();
    }
    String document = request.param("PolicyDocument");
    Optional<Refusal> malformed =
        PolicyGrammar.malformed(document)
            .map(why -> Refusal.sender(400, "MalformedPolicyDocument", why));
    if (malformed.isPresent() || PUT.equals(action)) {
      return malformed;
    }
    return size(document) <= MAX_MANAGED
        ? Optional.empty()
        : Optional.of(
            Refusal.sender(
                409, "LimitExceeded", "Cannot exceed quota for PolicySize: " + MAX_MANAGED));
  }

  /** The parameters of {@code action} against IAM's API model. */
  private static List<String> members(QueryRequest request, String action) {
    List<String> problems = new ArrayList<>();
    if (ROLE_CALLS.contains(action)) {
      problems.addAll(ROLE_NAME.required(request.param("RoleName")));
    }
    if (ARN_CALLS.contains(action)) {
      problems.addAll(POLICY_ARN.required(request.param("PolicyArn")));
    }
    if (GET.equals(action)
        || PUT.equals(action)
        || CREATE_POLICY.equals(action)
        || DELETE_ROLE_POLICY.equals(action)) {
      problems.addAll(POLICY_NAME.required(request.param("PolicyName")));
    }
    if (DOCUMENT_CALLS.contains(action) || UPDATE_TRUST.equals(action)) {
      problems.addAll(DOCUMENT.required(request.param("PolicyDocument")));
    }
    if (CREATE_POLICY.equals(action)) {
      problems.addAll(PATH.optional(request.param("Path")));
    }
    if (LIST_ATTACHED.equals(action) || LIST_ROLES.equals(action)) {
      problems.addAll(PATH.optional(request.param("PathPrefix")));
    }
    if (GET_VERSION.equals(action) || DELETE_VERSION.equals(action)) {
      problems.addAll(VERSION_ID.required(request.param("VersionId")));
    }
    return problems;
  }

  /**
   * IAM's refusal of putting {@code document} on {@code role} beside its other inline policies
   * ({@code others}: every one but the policy the put replaces), or empty when they fit together.
   */
  public static Optional<Refusal> sizeRefusal(
      String role, String document, Collection<String> others) {
    int characters = size(document) + others.stream().mapToInt(IamRules::size).sum();
    return characters <= MAX_ROLE_INLINE
        ? Optional.empty()
        : Optional.of(
            Refusal.sender(
                409,
                "LimitExceeded",
                "Maximum policy size of " + MAX_ROLE_INLINE + " bytes exceeded for role " + role));
  }

  /** The size IAM counts: every character but whitespace. */
  public static int size(String document) {
    return (int) document.chars().filter(c -> !Character.isWhitespace(c)).count();
  }
}
