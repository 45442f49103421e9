package dev.stint.cloud;

import dev.stint.common.AwsSessionPolicy;
import dev.stint.common.DocumentTemplate;
import dev.stint.common.FilledDocument;
import dev.stint.common.ParameterPatterns;
import dev.stint.common.ParameterValues;
import dev.stint.common.SourceNetworks;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An AWS role, assumed with stint's own AWS identity or with a stint-signed web identity. {@code
 * sessionPolicy} (the inline statements as a compact JSON array) and {@code sessionPolicyArns}
 * narrow the role for this profile; see {@link AwsSessionPolicy}. With {@code parameters} (a
 * narrowed profile), {@code sessionPolicy} is a template whose string values hold {@code ${NAME}}
 * placeholders, and a session's policy is only ever given for a request's values.
 */
public record AwsTarget(
    String roleArn,
    Mode mode,
    Optional<String> region,
    Optional<String> sessionPolicy,
    List<String> sessionPolicyArns,
    ParameterPatterns parameters,
    Optional<AccountAssignment> assignment)
    implements CloudTarget {
  /**
   * The cloud's key in the policy file, here where its record is, so that {@link Cloud} names the
   * cloud from it and the record need not read back its {@code Cloud}.
   */
  static final String CLOUD = "aws";

  /** How stint obtains the role's session. */
  public enum Mode {
    /** stint's own AWS identity (the SDK's default chain) calls {@code AssumeRole}. */
    ASSUME_ROLE,
    /** stint signs a JWT as its own OIDC issuer and calls {@code AssumeRoleWithWebIdentity}. */
    WEB_IDENTITY,
    /**
     * No session is minted: the grant is an IAM Identity Center account assignment ({@link
     * #assignment}), used through the AWS access portal and {@code aws sso login}.
     */
    IDENTITY_CENTER
  }

  public AwsTarget {
    Objects.requireNonNull(roleArn, "roleArn");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(sessionPolicy, "sessionPolicy");
    sessionPolicyArns = List.copyOf(sessionPolicyArns);
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(assignment, "assignment");
    if ((mode == Mode.IDENTITY_CENTER) != assignment.isPresent()) {
      throw new IllegalArgumentException("an assignment is what mode identity_center names");
    }
    if (assignment.isPresent()
        && (sessionPolicy.isPresent() || !sessionPolicyArns.isEmpty() || !parameters.isEmpty())) {
      // Identity Center's sessions take the permission set's policies; stint sends none.
      throw new IllegalArgumentException(
          "an Identity Center assignment takes no session policy and no parameters");
    }
    if (!parameters.isEmpty()) {
      // Checks that the placeholders and the parameters agree; a template without is refused.
      new DocumentTemplate(
          sessionPolicy.orElseThrow(
              () -> new IllegalArgumentException("parameters need a session policy to fill")),
          parameters);
    }
  }

  /** A role, narrowed as the arguments say. */
  public AwsTarget(
      String roleArn,
      Mode mode,
      Optional<String> region,
      Optional<String> sessionPolicy,
      List<String> sessionPolicyArns,
      ParameterPatterns parameters) {
    this(roleArn, mode, region, sessionPolicy, sessionPolicyArns, parameters, Optional.empty());
  }

  /**
   * A permission set of IAM Identity Center in an account: the grant is the account assignment. Its
   * role ARN names the roles Identity Center provisions in the account (their names end in a suffix
   * AWS picks), for the checks that group profiles by role; nothing is minted on it.
   */
  public static AwsTarget identityCenter(AccountAssignment assignment, Optional<String> region) {
    return new AwsTarget(
        "arn:"
            + assignment.partition()
            + ":iam::"
            + assignment.accountId()
            + ":role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_",
        Mode.IDENTITY_CENTER,
        region,
        Optional.empty(),
        List.of(),
        ParameterPatterns.NONE,
        Optional.of(assignment));
  }

  /** A role narrowed by a fixed session policy, the same for every request. */
  public AwsTarget(
      String roleArn,
      Mode mode,
      Optional<String> region,
      Optional<String> sessionPolicy,
      List<String> sessionPolicyArns) {
    this(roleArn, mode, region, sessionPolicy, sessionPolicyArns, ParameterPatterns.NONE);
  }

  /** The role as it is, without narrowing. */
  public AwsTarget(String roleArn, Mode mode, Optional<String> region) {
    this(roleArn, mode, region, Optional.empty(), List.of());
  }

  /** This target with its session policy a template of {@code parameters}. */
  public AwsTarget withParameters(ParameterPatterns parameters) {
    return new AwsTarget(
        roleArn, mode, region, sessionPolicy, sessionPolicyArns, parameters, assignment);
  }

  /**
   * The role as IAM tells roles apart: partition, account and the name in any case, without its
   * path (a name is unique in its account whatever its path). Two profiles whose ARNs differ only
   * so name one role.
   */
  public String role() {
    String account = roleArn.substring(0, roleArn.indexOf(":role/"));
    String name = roleArn.substring(roleArn.lastIndexOf('/') + 1);
    StringBuilder lower = new StringBuilder(name.length());
    name.chars().forEach(c -> lower.append((char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c)));
    return account + ":role/" + lower;
  }

  /**
   * What a session's policy holds besides the cap at the grant's end: the profile's narrowing of
   * the role ({@code sessionPolicy}, {@code sessionPolicyArns}) and the networks it is used from.
   */
  public AwsSessionPolicy sessionPolicyFrom(SourceNetworks sources) {
    if (!parameters.isEmpty()) {
      throw new IllegalStateException(
          "the session policy of " + roleArn + " is a template; give the request's values");
    }
    return new AwsSessionPolicy(sources, sessionPolicy, sessionPolicyArns);
  }

  /**
   * As {@link #sessionPolicyFrom(SourceNetworks)}, with the template filled with a request's
   * values; a profile without parameters takes {@link ParameterValues#NONE}.
   *
   * @throws IllegalArgumentException if a value is refused or the filled policy is larger than STS
   *     takes (nothing should then be sent to STS)
   */
  public AwsSessionPolicy sessionPolicyFrom(SourceNetworks sources, ParameterValues values) {
    return new AwsSessionPolicy(
        sources, filledWithin(sources, values).map(FilledDocument::json), sessionPolicyArns);
  }

  /**
   * A session's policy with {@code statements} (a compact JSON array, such as a task lease's own)
   * in place of the profile's inline session policy, template or fixed; the managed policy ARNs
   * stay, as do the statements stint adds for the grant's end and {@code sources}.
   *
   * @throws IllegalArgumentException if the statements are not a non-empty array, or the document
   *     is larger than STS takes (nothing should then be sent to STS)
   */
  public AwsSessionPolicy sessionPolicyWith(SourceNetworks sources, FilledDocument statements) {
    String array = statements.json();
    if (!array.startsWith("[{") || !array.endsWith("}]")) {
      // The document splices the array's members in: anything else would send a broken policy.
      throw new IllegalArgumentException(
          "a session's own statements must be a non-empty JSON array of statements");
    }
    AwsSessionPolicy policy = new AwsSessionPolicy(sources, Optional.of(array), sessionPolicyArns);
    int size = policy.packedChars();
    if (size > AwsSessionPolicy.MAX_CHARS) {
      throw new IllegalArgumentException(
          "the session's own statements (with the grant-end and source_cidrs statements and the"
              + " policy ARNs) come to "
              + size
              + " characters; AWS allows "
              + AwsSessionPolicy.MAX_CHARS);
    }
    return policy;
  }

  /**
   * The inline statements filled with {@code values}, checked with the statements stint adds for
   * {@code sources} against the size STS takes: what a narrowed request approves and its grant is
   * minted with. Empty when the profile has no inline session policy.
   *
   * @throws IllegalArgumentException as {@link #sessionPolicyFrom(SourceNetworks, ParameterValues)}
   */
  public Optional<FilledDocument> filledWithin(SourceNetworks sources, ParameterValues values) {
    Optional<FilledDocument> filled = filledSessionPolicy(values);
    int size =
        new AwsSessionPolicy(sources, filled.map(FilledDocument::json), sessionPolicyArns)
            .packedChars();
    if (size > AwsSessionPolicy.MAX_CHARS) {
      throw new IllegalArgumentException(
          "the session policy filled with these values (with the grant-end and source_cidrs"
              + " statements and the policy ARNs) comes to "
              + size
              + " characters; AWS allows "
              + AwsSessionPolicy.MAX_CHARS);
    }
    return filled;
  }

  /**
   * The inline statements filled with {@code values}, compact, with their hash for the ledger;
   * empty when the profile has no inline session policy.
   *
   * @throws IllegalArgumentException if a value is refused, or values are given to a profile
   *     without parameters
   */
  public Optional<FilledDocument> filledSessionPolicy(ParameterValues values) {
    if (parameters.isEmpty() && !values.isEmpty()) {
      throw new IllegalArgumentException("this profile takes no parameters");
    }
    return sessionPolicy.map(t -> new DocumentTemplate(t, parameters).fill(values));
  }

  @Override
  public String cloud() {
    return CLOUD;
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.aws(this);
  }

  @Override
  public String describe() {
    return assignment.map(AccountAssignment::describe).orElse(roleArn);
  }
}
