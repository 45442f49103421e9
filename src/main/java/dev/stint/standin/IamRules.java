package dev.stint.standin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What IAM refuses of the inline role policy calls ({@code GetRolePolicy}, {@code PutRolePolicy}),
 * in the order IAM meets it: the operation; the SigV4 signature, scoped to {@code iam} and to the
 * partition's signing region (IAM is global: {@code us-east-1}, {@code cn-north-1} or {@code
 * us-gov-west-1}); the parameters against the API model ({@code ValidationError}); then, for a put,
 * the policy grammar ({@code MalformedPolicyDocument}) and the role's inline policy size. The
 * role's existence ({@code NoSuchEntity}) is the stand-in's to know.
 *
 * <p>IAM's quota for a role's inline policies is 10,240 characters for all of them together,
 * whitespace not counted ({@code LimitExceeded}, HTTP 409).
 */
public final class IamRules {
  public static final String VERSION = "2010-05-08";
  public static final String NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
  public static final String GET = "GetRolePolicy";
  public static final String PUT = "PutRolePolicy";

  /** A role's inline policies together, whitespace excluded. */
  public static final int MAX_ROLE_INLINE = 10_240;

  private static final Set<String> ACTIONS = Set.of(GET, PUT);
  private static final Predicate<String> SIGNING_REGIONS =
      Set.of("us-east-1", "cn-north-1", "us-gov-west-1")::contains;
  private static final String NAME = "[\\w+=,.@-]+";
  private static final Member ROLE_NAME = new Member("roleName", 1, 64, NAME);
  private static final Member POLICY_NAME = new Member("policyName", 1, 128, NAME);
  private static final Member DOCUMENT =
      new Member("policyDocument", 1, 131_072, "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");

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
    List<String> problems = new ArrayList<>(ROLE_NAME.required(request.param("RoleName")));
    problems.addAll(POLICY_NAME.required(request.param("PolicyName")));
    boolean put = PUT.equals(request.param("Action"));
    if (put) {
      problems.addAll(DOCUMENT.required(request.param("PolicyDocument")));
    }
    if (!problems.isEmpty()) {
      return Optional.of(Refusal.validation(problems));
    }
    return put
        ? PolicyGrammar.malformed(request.param("PolicyDocument"))
            .map(why -> Refusal.sender(400, "MalformedPolicyDocument", why))
        : Optional.empty();
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
